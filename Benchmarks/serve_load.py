"""Load on a running `opensora serve` from a second process on loopback, while one long job samples.

Phases (each DURATION s): quiet (the job alone), GET /v1/videos/{id} from CONCURRENCY threads, POST /v1/videos of
small jobs from CONCURRENCY threads (the bounded queue answers 429 once full; those count as answers too).
For each: requests/s, p50/p99 latency, and the job's time per sampling step from /metrics over the phase.
Usage: python3 serve_load.py PORT [DURATION] [CONCURRENCY]. Standard library only.
"""
import http.client, json, re, sys, threading, time

port = int(sys.argv[1]); duration = float(sys.argv[2]) if len(sys.argv) > 2 else 20; workers = int(sys.argv[3]) if len(sys.argv) > 3 else 8

def call(method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, data

def step_counter():
    text = call("GET", "/metrics")[1].decode()
    s = float(re.search(r"opensora_sampling_step_seconds_sum ([0-9.e+-]+)", text).group(1))
    n = float(re.search(r"opensora_sampling_step_seconds_count ([0-9.e+-]+)", text).group(1))
    return s, n

def phase(name, request):
    latencies, statuses, stop = [], {}, time.time() + duration
    lock = threading.Lock()
    def worker():
        while time.time() < stop:
            t = time.perf_counter(); status, _ = request(); dt = time.perf_counter() - t
            with lock:
                latencies.append(dt); statuses[status] = statuses.get(status, 0) + 1
    s0, n0 = step_counter()
    threads = [threading.Thread(target=worker) for _ in range(workers if request else 0)]
    for t in threads: t.start()
    if not request: time.sleep(duration)
    for t in threads: t.join()
    s1, n1 = step_counter()
    step = (s1 - s0) / (n1 - n0) if n1 > n0 else float("nan")
    if latencies:
        latencies.sort()
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
        print("%s: %.0f req/s, p50 %.1f ms, p99 %.1f ms, answers %s; sampling step %.3f s (%d steps)"
              % (name, len(latencies) / duration, p(0.5), p(0.99), dict(sorted(statuses.items())), step, n1 - n0))
    else:
        print("%s: sampling step %.3f s (%d steps)" % (name, step, n1 - n0))
    return step

long_job = json.dumps({"prompt": "a blue square moving right", "num_sampling_steps": 1000, "num_frames": 51, "resolution": "144p"})
status, body = call("POST", "/v1/videos", long_job)
assert status == 202, body
job = json.loads(body)["id"]
while json.loads(call("GET", f"/v1/videos/{job}")[1])["step"] < 2: time.sleep(0.2)
quiet = phase("quiet", None)
loaded = phase("GET /v1/videos/{id}", lambda: call("GET", f"/v1/videos/{job}"))
small = json.dumps({"prompt": "a red circle moving left", "num_sampling_steps": 1, "num_frames": 17, "resolution": "144p"})
submitted = phase("POST /v1/videos", lambda: call("POST", "/v1/videos", small))
print("step time under GET load / quiet: %.2f; under POST load / quiet: %.2f" % (loaded / quiet, submitted / quiet))
call("DELETE", f"/v1/videos/{job}")
