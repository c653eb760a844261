"""Parses the ROS package's launch files (Python) and XML files (URDF, SDF, package.xml, CycloneDDS
config) with Python's own parsers and prints what the mocha tests check, as JSON.

Usage: python3 test/launch/package_facts.py <repo root>
Any syntax error or malformed XML raises, so the process exits non-zero with the parser's message.
Nothing is written to disk (launch files are compiled in memory, no __pycache__).
"""
import ast
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET


def launch_facts(path):
    with open(path, encoding='utf-8') as f:
        source = f.read()
    tree = ast.parse(source, filename=path)
    compile(tree, path, 'exec')
    arguments = []
    strings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'DeclareLaunchArgument':
            if node.args and isinstance(node.args[0], ast.Constant):
                arguments.append(node.args[0].value)
        # package-relative paths are written os.path.join('dir', 'file', ...) with literal parts
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'join'
                and node.args and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)):
            strings.append('/'.join(a.value for a in node.args))
    return {'arguments': arguments, 'paths': strings}


def floats(text):
    return [float(v) for v in text.split()]


def urdf_facts(path):
    root = ET.parse(path).getroot()
    joints = {}
    for j in root.findall('joint'):
        origin = j.find('origin')
        joints[j.get('name')] = {
            'parent': j.find('parent').get('link'),
            'child': j.find('child').get('link'),
            'xyz': floats(origin.get('xyz', '0 0 0')) if origin is not None else [0, 0, 0],
            'rpy': floats(origin.get('rpy', '0 0 0')) if origin is not None else [0, 0, 0],
        }
    sensors = []
    for g in root.findall('gazebo'):
        for s in g.findall('sensor'):
            cam = s.find('camera')
            sensors.append({
                'name': s.get('name'),
                'type': s.get('type'),
                'link': g.get('reference'),
                'topic': s.findtext('topic'),
                'frame_id': s.findtext('gz_frame_id'),
                'camera_info_topic': cam.findtext('camera_info_topic'),
                'horizontal_fov': float(cam.findtext('horizontal_fov')),
                'width': int(cam.findtext('image/width')),
                'height': int(cam.findtext('image/height')),
            })
    return {'links': [l.get('name') for l in root.findall('link')], 'joints': joints, 'sensors': sensors}


def sdf_facts(path):
    root = ET.parse(path).getroot()
    return {
        'version': root.get('version'),
        'models': [m.get('name') for m in root.iter('model')],
        'textures': sorted({e.text.strip() for e in root.iter('albedo_map')}),
        'plugins': [p.get('filename') for p in root.iter('plugin')],
    }


def package_facts(path):
    root = ET.parse(path).getroot()
    deps = {}
    for tag in ('buildtool_depend', 'build_depend', 'exec_depend', 'depend', 'test_depend'):
        deps[tag] = [e.text for e in root.findall(tag)]
    return {
        'format': root.get('format'),
        'name': root.findtext('name'),
        'deps': deps,
        'groups': [e.text for e in root.findall('member_of_group')],
        'build_type': root.findtext('export/build_type'),
    }


def cyclone_facts(path):
    ns = {'c': 'https://cdds.io/config'}
    root = ET.parse(path).getroot()
    buf = root.find('c:Domain/c:Internal/c:SocketReceiveBufferSize', ns)
    return {'root': root.tag, 'socket_receive_buffer_min': None if buf is None else buf.get('min')}


def main(repo):
    print(json.dumps({
        'launch': {os.path.basename(p): launch_facts(p) for p in sorted(glob.glob(os.path.join(repo, 'launch', '*.py')))},
        'urdf': urdf_facts(os.path.join(repo, 'description', 'urdf', 'dx_robot.urdf')),
        'sdf': sdf_facts(os.path.join(repo, 'description', 'worlds', 'dx_demo.sdf')),
        'package': package_facts(os.path.join(repo, 'package.xml')),
        'cyclonedds': cyclone_facts(os.path.join(repo, 'config', 'cyclonedds.xml')),
    }))


if __name__ == '__main__':
    main(sys.argv[1])
