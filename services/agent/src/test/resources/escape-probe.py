# What an untrusted app would try from inside its instance: who it is, what it can write, which host
# files it sees, and which of the host's and other instances' ports it can connect to. It prints one
# line "PROBE <json>", then serves HTTP on $PORT so that the instance turns ready.
import http.server
import json
import os
import resource
import socket


def gateway():
    for line in open('/proc/net/route').read().splitlines()[1:]:
        fields = line.split()
        if fields[1] == '00000000':
            return socket.inet_ntoa(bytes.fromhex(fields[2])[::-1])
    return None


def connect(host, port):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        return 'open'
    except ConnectionRefusedError:
        return 'refused'
    except socket.timeout:
        return 'timeout'
    except OSError as e:
        return 'error %d' % e.errno
    finally:
        s.close()


def writable(directory):
    try:
        with open(os.path.join(directory, 'probe'), 'w') as f:
            f.write('x')
        return True
    except OSError:
        return False


def status(field):
    for line in open('/proc/self/status').read().splitlines():
        if line.startswith(field + ':'):
            return line.split()[1]
    return None


gw = gateway()
targets = {}
for target in filter(None, os.environ.get('PROBE_TARGETS', '').split(',')):
    name, host, port = target.split(':')
    targets[name] = connect(gw if host == 'gateway' else host, int(port))
result = {
    'uid': os.getuid(),
    'capEff': status('CapEff'),
    'noNewPrivs': status('NoNewPrivs'),
    'seccomp': status('Seccomp'),
    'rootWritable': writable('/'),
    'tmpWritable': writable('/tmp'),
    'workWritable': writable(os.getcwd()),
    'files': {p: os.path.exists(p) for p in filter(None, os.environ.get('PROBE_FILES', '').split(','))},
    'processes': len([d for d in os.listdir('/proc') if d.isdigit()]),
    'nofile': resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    'caBundle': os.environ.get('SSL_CERT_FILE'),
    'caBundleReadable': os.path.isfile(os.environ.get('SSL_CERT_FILE', '/nonexistent')),
    'targets': targets,
}
print('PROBE ' + json.dumps(result), flush=True)
http.server.HTTPServer(('0.0.0.0', int(os.environ['PORT'])), http.server.SimpleHTTPRequestHandler).serve_forever()
