"""Gazebo demo: a static robot carrying the default 4-camera rig in a textured room.

    ros2 launch dx_perception gazebo_demo.launch.py [rviz:=true|false] [params_file:=<yaml>]

Starts gz sim (Harmonic) with description/worlds/dx_demo.sdf, spawns description/urdf/dx_robot.urdf,
bridges the four cameras' image_raw and camera_info and /clock with ros_gz_bridge
(config/gz_bridge.yaml), publishes the rig's TF with robot_state_publisher (plus a fixed
odom -> base_link, since the robot does not move), runs dx_perception_node with use_sim_time,
and opens RViz with config/dx_perception.rviz.
"""
import os

from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import AppendEnvironmentVariable, DeclareLaunchArgument, IncludeLaunchDescription
from launch.conditions import IfCondition
from launch.launch_description_sources import PythonLaunchDescriptionSource
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

PACKAGE = 'dx_perception'
WORLD = os.path.join('description', 'worlds', 'dx_demo.sdf')
URDF = os.path.join('description', 'urdf', 'dx_robot.urdf')
BRIDGE = os.path.join('config', 'gz_bridge.yaml')
RVIZ = os.path.join('config', 'dx_perception.rviz')
PARAMS = os.path.join('params', 'default.yaml')
PERCEPTION_LAUNCH = os.path.join('launch', 'perception.launch.py')


def generate_launch_description():
    share = get_package_share_directory(PACKAGE)
    gz_launch = os.path.join(get_package_share_directory('ros_gz_sim'), 'launch', 'gz_sim.launch.py')
    with open(os.path.join(share, URDF), encoding='utf-8') as f:
        robot_description = f.read()
    sim_time = {'use_sim_time': True}

    return LaunchDescription([
        DeclareLaunchArgument('rviz', default_value='true', description='open RViz'),
        DeclareLaunchArgument(
            'params_file', default_value=os.path.join(share, PARAMS),
            description='parameters of dx_perception_node'),
        # The world's textures are package-relative (materials/textures/*.png).
        AppendEnvironmentVariable('GZ_SIM_RESOURCE_PATH', os.path.join(share, 'description')),
        IncludeLaunchDescription(
            PythonLaunchDescriptionSource(gz_launch),
            launch_arguments={'gz_args': f'-r {os.path.join(share, WORLD)}'}.items()),
        Node(
            package='robot_state_publisher', executable='robot_state_publisher', output='screen',
            parameters=[{'robot_description': robot_description}, sim_time]),
        Node(
            package='ros_gz_sim', executable='create', output='screen',
            arguments=['-topic', 'robot_description', '-name', 'dx_robot', '-z', '0.0']),
        Node(
            package='ros_gz_bridge', executable='parameter_bridge', output='screen',
            parameters=[{'config_file': os.path.join(share, BRIDGE)}, sim_time]),
        Node(
            package='tf2_ros', executable='static_transform_publisher', output='screen',
            arguments=['--frame-id', 'odom', '--child-frame-id', 'base_link'],
            parameters=[sim_time]),
        IncludeLaunchDescription(
            PythonLaunchDescriptionSource(os.path.join(share, PERCEPTION_LAUNCH)),
            launch_arguments={
                'use_sim_time': 'true',
                'params_file': LaunchConfiguration('params_file'),
            }.items()),
        Node(
            package='rviz2', executable='rviz2', output='screen',
            arguments=['-d', os.path.join(share, RVIZ)],
            parameters=[sim_time],
            condition=IfCondition(LaunchConfiguration('rviz'))),
    ])
