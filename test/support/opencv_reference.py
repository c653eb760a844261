# OpenCV (Debian python3-opencv) as the independent reference for test/geometry. Reads one JSON
# request on stdin, writes one JSON answer on stdout. Float arrays travel as base64 float64/float32.
import base64, json, sys
import cv2
import numpy as np

def arr(v, shape=None):
    a = np.array(v, dtype=np.float64)
    return a.reshape(shape) if shape else a

def b64(a, dtype=np.float64):
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode()

EPS = (cv2.TERM_CRITERIA_COUNT + cv2.TERM_CRITERIA_EPS, 200, 1e-15)

def camera(c):
    return arr(c['K'], (3, 3)), arr(c['D']), c['model']

def project(req):
    K, D, model = camera(req['camera'])
    pts = arr(req['points'], (-1, 1, 3))
    if model == 'equidistant':
        uv, _ = cv2.fisheye.projectPoints(pts, np.zeros(3), np.zeros(3), K, D)
    else:
        uv, _ = cv2.projectPoints(pts, np.zeros(3), np.zeros(3), K, D)
    return {'uv': b64(uv.reshape(-1))}

def undistort(req):
    K, D, model = camera(req['camera'])
    uv = arr(req['uv'], (-1, 1, 2))
    if model == 'equidistant':
        xy = cv2.fisheye.undistortPoints(uv, K, D, criteria=EPS)
    else:
        xy = cv2.undistortPointsIter(uv, K, D, None, None, EPS)
    return {'xy': b64(xy.reshape(-1))}

def maps(req):
    K, D, model = camera(req['camera'])
    R = arr(req['R'], (3, 3)); P = arr(req['P'], (3, 4))
    size = (req['width'], req['height'])
    if model == 'equidistant':
        mx, my = cv2.fisheye.initUndistortRectifyMap(K, D, R, P[:, :3], size, cv2.CV_32FC1)
    else:
        mx, my = cv2.initUndistortRectifyMap(K, D, R, P[:, :3], size, cv2.CV_32FC1)
    return {'mapX': b64(mx.reshape(-1), np.float32), 'mapY': b64(my.reshape(-1), np.float32)}

def stereo(req):
    K1, D1, _ = camera(req['left']); K2, D2, _ = camera(req['right'])
    flags = cv2.CALIB_ZERO_DISPARITY if req['zeroDisparity'] else 0
    R1, R2, P1, P2, Q, _, _ = cv2.stereoRectify(K1, D1, K2, D2, (req['width'], req['height']),
                                                arr(req['R'], (3, 3)), arr(req['T']), flags=flags, alpha=req['alpha'])
    size = (req['width'], req['height'])
    m1 = cv2.initUndistortRectifyMap(K1, D1, R1, P1[:, :3], size, cv2.CV_32FC1)
    return {'R1': b64(R1), 'R2': b64(R2), 'P1': b64(P1), 'P2': b64(P2), 'Q': b64(Q),
            'leftMapX': b64(m1[0].reshape(-1), np.float32), 'leftMapY': b64(m1[1].reshape(-1), np.float32)}

def remap(req):
    src = np.frombuffer(base64.b64decode(req['src']), dtype=np.uint8).reshape(req['height'], req['width'], req['channels'])
    mx = np.frombuffer(base64.b64decode(req['mapX']), dtype=np.float32).reshape(req['mapHeight'], req['mapWidth'])
    my = np.frombuffer(base64.b64decode(req['mapY']), dtype=np.float32).reshape(req['mapHeight'], req['mapWidth'])
    out = cv2.remap(src, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return {'dst': base64.b64encode(np.ascontiguousarray(out).tobytes()).decode()}

OPS = {'project': project, 'undistort': undistort, 'maps': maps, 'stereo': stereo, 'remap': remap}
req = json.load(sys.stdin)
if 'batch' in req:
    json.dump([OPS[r['op']](r) for r in req['batch']], sys.stdout)
else:
    json.dump(OPS[req['op']](req), sys.stdout)
