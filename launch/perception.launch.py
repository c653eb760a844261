"""Launches dx_perception_node.

    ros2 launch dx_perception perception.launch.py \
        [params_file:=<yaml>] [cameras:=front_left,front_right,left,right] \
        [use_sim_time:=true|false] [namespace:=<ns>] [lifecycle:=true|false] [dds_config:=<xml>]

params_file defaults to the package's params/default.yaml; `cameras`, when given, overrides the
file's camera list (comma-separated). CYCLONEDDS_URI points at config/cyclonedds.xml, which raises
the DDS socket receive buffer to 4 MiB so multi-camera image bursts are not dropped (it applies
when RMW_IMPLEMENTATION=rmw_cyclonedds_cpp; see the README's DDS notes).
"""
import os

from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction, SetEnvironmentVariable
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

PACKAGE = 'dx_perception'
DEFAULT_PARAMS = os.path.join('params', 'default.yaml')
DEFAULT_DDS_CONFIG = os.path.join('config', 'cyclonedds.xml')


def _as_bool(context, name):
    # launch prints only the exception's text, so it names the argument.
    text = LaunchConfiguration(name).perform(context)
    value = text.strip().lower()
    if value not in ('true', 'false', '1', '0'):
        raise ValueError(f'launch argument {name}:={text}: expected true or false')
    return value in ('true', '1')


def _node(context):
    cameras = LaunchConfiguration('cameras').perform(context)
    overrides = {'use_sim_time': _as_bool(context, 'use_sim_time')}
    if cameras.strip():
        overrides['cameras'] = [c.strip() for c in cameras.split(',') if c.strip()]
    lifecycle = _as_bool(context, 'lifecycle')
    return [
        Node(
            package=PACKAGE,
            executable='dx_perception_node',
            name='dx_perception_node',
            namespace=LaunchConfiguration('namespace'),
            output='screen',
            emulate_tty=True,
            parameters=[LaunchConfiguration('params_file'), overrides],
            arguments=['--lifecycle'] if lifecycle else [],
        )
    ]


def generate_launch_description():
    share = get_package_share_directory(PACKAGE)
    return LaunchDescription([
        DeclareLaunchArgument(
            'params_file', default_value=os.path.join(share, DEFAULT_PARAMS),
            description='ROS 2 parameters file (keys of src/config/config_schema.ts)'),
        DeclareLaunchArgument(
            'cameras', default_value='',
            description='comma-separated camera namespaces; empty keeps the parameters file\'s list'),
        DeclareLaunchArgument(
            'use_sim_time', default_value='false',
            description='follow /clock (Gazebo, ros2 bag play --clock)'),
        DeclareLaunchArgument(
            'namespace', default_value='',
            description='node namespace; relative camera topics resolve under it'),
        DeclareLaunchArgument(
            'lifecycle', default_value='false',
            description='start as a managed lifecycle node (configure/activate with ros2 lifecycle set)'),
        DeclareLaunchArgument(
            'dds_config', default_value=os.path.join(share, DEFAULT_DDS_CONFIG),
            description='CycloneDDS configuration file'),
        SetEnvironmentVariable('CYCLONEDDS_URI', ['file://', LaunchConfiguration('dds_config')]),
        OpaqueFunction(function=_node),
    ])
