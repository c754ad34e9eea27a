#!/usr/bin/env python3
"""Writes portstorm's demo samples under samples/ (deterministic; rerun to refresh).

Three small logs, one per format of the foundation, each shaped like a seed:
  border-router.log.gz   netfilter (iptables, RFC 3164 syslog), 2006-02-11..18:
                         tcp/3771 rare for a week, then #3 on 02-17 with 78.88% of its
                         records from 83.50.134.3 (seed 000), wider sources on 02-18.
  dshield-2003-12.tsv    DShield submissions, 2003-11-29..12-02: udp/tcp 1026-1031 from
                         a few hundred sources, crafted (sport 666/4177) and natural,
                         the same sources on udp/135 and udp/137 (seeds 001, 003).
  greatwall-ipchains.log ipchains, 2002-03-02: Gnutella tcp/6346 SYNs retried at 0/3/9 s
                         (seed 004) among KaZaa and Code Red background; one record
                         wrapped over three lines as the seed quotes it.
Target addresses are in documentation ranges (198.51.100.0/24, 203.0.113.0/24).
"""
import gzip
import io
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def rand_public(rng):
    while True:
        a = rng.choice([24, 61, 62, 66, 67, 68, 69, 80, 81, 82, 83, 84, 85, 86, 193, 195, 200,
                        201, 202, 203, 210, 211, 212, 213, 217, 218, 219, 220, 221, 222])
        if a == 203:
            continue
        return f"{a}.{rng.randrange(1, 255)}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"


def syslog_ts(day, secs):
    h, m, s = secs // 3600, secs // 60 % 60, secs % 60
    return f"{MONTHS[1]} {day:2d} {h:02d}:{m:02d}:{s:02d}"


# --- seed 000: netfilter at a company border router --------------------------------------
SEED000_HITS = [  # yesterday's hits of tcp/3771, as in the report (count, ip)
    (351, "83.50.134.3"), (12, "82.82.174.237"), (10, "80.140.166.187"), (8, "82.212.35.212"),
    (7, "84.174.142.141"), (7, "217.115.141.56"), (5, "84.174.148.77"), (5, "84.173.240.91"),
    (5, "84.173.214.61"), (5, "84.173.212.241"), (4, "84.173.218.91"), (4, "82.83.60.182"),
    (4, "69.60.109.63"), (3, "84.162.118.170"), (2, "84.58.219.187"), (2, "66.227.102.108"),
    (1, "84.173.202.13"), (1, "84.166.173.97"), (1, "82.83.102.34"), (1, "69.60.97.125"),
    (1, "4.78.220.192"), (1, "220.116.49.50"), (1, "216.39.127.97"), (1, "209.104.200.207"),
    (1, "209.104.200.199"), (1, "209.104.200.177")]

BACKGROUND = [(445, "TCP", 520), (135, "TCP", 480), (139, "TCP", 300), (80, "TCP", 210),
              (1433, "TCP", 120), (1026, "UDP", 95), (22, "TCP", 90), (23, "TCP", 60),
              (3389, "TCP", 40), (4899, "TCP", 30), (137, "UDP", 25), (6346, "TCP", 6)]


def netfilter_line(rng, day, secs, src, dst, proto, sport, dport):
    ttl = rng.choice([113, 114, 116, 117, 49, 50, 52, 241])
    head = (f"{syslog_ts(day, secs)} border kernel: [{(day * 86400 + secs) % 9000000}.{rng.randrange(10**6):06d}] "
            f"DROP IN=eth0 OUT= MAC=00:0c:29:4f:8e:35:00:50:56:c0:00:08:08:00 SRC={src} DST={dst} ")
    if proto == "TCP":
        return (head + f"LEN=48 TOS=0x00 PREC=0x00 TTL={ttl} ID={rng.randrange(65536)} DF PROTO=TCP "
                f"SPT={sport} DPT={dport} WINDOW=65535 RES=0x00 SYN URGP=0 OPT (020405B401010402)")
    return (head + f"LEN=30 TOS=0x00 PREC=0x00 TTL={ttl} ID={rng.randrange(65536)} PROTO=UDP "
            f"SPT={sport} DPT={dport} LEN=10")


def make_border():
    rng = random.Random(3771)
    sources = [rand_public(rng) for _ in range(2500)]
    lines = []
    for day in range(11, 19):
        events = []
        for port, proto, n in BACKGROUND:
            for _ in range(int(n * rng.uniform(0.85, 1.15))):
                events.append((proto, port, rng.choice(sources)))
        if day < 17:
            for _ in range(rng.randrange(1, 5)):
                events.append(("TCP", 3771, rng.choice(sources[:40])))
        elif day == 17:
            for count, ip in SEED000_HITS:
                events += [("TCP", 3771, ip)] * count
        else:
            wider = [ip for _, ip in SEED000_HITS] + sources[40:110]
            for _ in range(260):
                events.append(("TCP", 3771, rng.choice(wider)))
        stamped = sorted((rng.randrange(86400), e) for e in events)
        for secs, (proto, port, src) in stamped:
            # Most 3771 hits on the loud day go to one never-used static address.
            if port == 3771 and day >= 17 and rng.random() < 0.9:
                dst = "198.51.100.77"
            else:
                dst = f"198.51.100.{rng.randrange(1, 255)}"
            sport = rng.randrange(1025, 5000) if proto == "TCP" else rng.choice([1026, 1027, 4177, 666])
            lines.append(netfilter_line(rng, day, secs, src, dst, proto, sport, port))
        if day == 17:  # lines a real syslog also holds; they show up as counted rejects
            lines.insert(len(lines) - 50, f"{syslog_ts(day, 43000)} border sshd[2211]: Accepted publickey for admin from 198.51.100.2 port 50122 ssh2")
            lines.insert(len(lines) - 40, f"{syslog_ts(day, 43100)} border kernel: DROP IN=eth0 OUT= SRC=82.82.174.237 DST=198.51.100.77 LEN=48 TTL=113 PROTO=TCP SPT=4021 DPT=70000")
            lines.insert(len(lines) - 30, f"{syslog_ts(day, 43200)} border kernel: DROP IN=eth0 OUT= SRC=83.50.134 DST=198.51.100.77 LEN=48 TTL=113 PROTO=TCP SPT=4021 DPT=3771")
    data = ("\n".join(lines) + "\n").encode()
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as z:
        z.write(data)
    with open(os.path.join(OUT, "border-router.log.gz"), "wb") as f:
        f.write(buf.getvalue())
    return len(lines)


# --- seeds 001/003: DShield submissions ---------------------------------------------------
def make_dshield():
    rng = random.Random(1026)
    spam_sources = [rand_public(rng) for _ in range(40)]
    worm_sources = [rand_public(rng) for _ in range(360)]
    users = ["10234", "20411", "31337", "40960"]
    rows = []
    for day in (29, 30, 31, 32):  # Nov 29, 30, Dec 1, Dec 2
        y, mo, d = (2003, 11, day) if day <= 30 else (2003, 12, day - 30)
        active = worm_sources[: 90 * (day - 28)]
        for src in spam_sources:  # popup spam: crafted source ports
            for _ in range(rng.randrange(1, 4)):
                rows.append((y, mo, d, rng.randrange(86400), rng.choice(users), 1, src,
                             rng.choice([666, 4177]), rng.randrange(1026, 1032), "17", ""))
        for src in active:
            # share moves to 1026 and 1030 over the days (seed 003)
            ports = [1026, 1027, 1028, 1029, 1030, 1031] if day < 31 else [1026, 1030, 1026, 1030, 1027]
            sport = rng.randrange(1024, 5000)
            for _ in range(rng.randrange(1, 3)):
                rows.append((y, mo, d, rng.randrange(86400), rng.choice(users), rng.randrange(1, 3),
                             src, sport, rng.choice(ports), "17", ""))
            if rng.random() < 0.5:
                rows.append((y, mo, d, rng.randrange(86400), rng.choice(users), 1, src, sport, 135, "17", ""))
            if rng.random() < 0.4:
                rows.append((y, mo, d, rng.randrange(86400), rng.choice(users), 1, src, 137, 137, "17", ""))
            if rng.random() < 0.1:
                rows.append((y, mo, d, rng.randrange(86400), rng.choice(users), 1, src, sport,
                             rng.randrange(1026, 1029), "6", "S"))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    out = []
    for y, mo, d, secs, user, count, src, sport, dport, proto, flags in rows:
        ts = f"{y:04d}-{mo:02d}-{d:02d} {secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d} -05:00"
        dst = f"203.0.113.{rng.randrange(1, 255)}"
        out.append("\t".join([ts, user, str(count), src, str(sport), dst, str(dport), proto, flags]))
    with open(os.path.join(OUT, "dshield-2003-12.tsv"), "w") as f:
        f.write("\n".join(out) + "\n")
    return len(out)


# --- seed 004: ipchains on a dial-up firewall ---------------------------------------------
def make_ipchains():
    rng = random.Random(6346)
    events = []
    peers = [f"207.95.{rng.randrange(0, 32)}.{rng.randrange(1, 255)}" for _ in range(12)] + \
            [rand_public(rng) for _ in range(20)]
    for src in peers:  # stale Gnutella peers retrying the reused dynamic address
        t0 = rng.randrange(36000, 80000)
        sport = rng.randrange(1100, 5000)
        ipid = rng.randrange(60000)
        for k, dt in enumerate((0, 3, 9)):
            events.append((t0 + dt, 6, src, sport, 6346, ipid + 19 * k, 117, "SYN"))
    for _ in range(60):  # KaZaa
        src = rand_public(rng)
        events.append((rng.randrange(86400), 6, src, rng.randrange(1100, 5000), 1214, rng.randrange(65536), 113, "SYN"))
    for _ in range(80):  # Code Red / Nimda
        src = rand_public(rng)
        events.append((rng.randrange(86400), 6, src, rng.randrange(1100, 5000), 80, rng.randrange(65536), 113, "SYN"))
    for _ in range(20):  # pings
        src = rand_public(rng)
        events.append((rng.randrange(86400), 1, src, 8, 0, rng.randrange(65536), 241, ""))
    events.sort()
    lines = []
    for i, (secs, proto, src, sport, dport, ipid, ttl, flag) in enumerate(events):
        ts = f"Mar  2 {secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"
        rec = (f"Packet log: input DENY ppp0 PROTO={proto} {src}:{sport} 12.82.129.120:{dport} "
               f"L={48 if proto == 6 else 84} S=0x00 I={ipid} F=0x4000 T={ttl}{' ' + flag if flag else ''} (#{64 if proto == 6 else 12})")
        if i == len(events) // 2:  # as the seed quotes it: wrapped over three lines
            a, b, c = rec.split(" 12.82.129.120")[0], "12.82.129.120" + rec.split(" 12.82.129.120")[1], ""
            head, addrs = a.split(f" {src}:")
            tail_at = b.index(" L=")
            lines.append(f"{ts} greatwall kernel: {head}")
            lines.append(f" {src}:{addrs} {b[:tail_at]}")
            lines.append(f" {b[tail_at + 1:]}")
            continue
        lines.append(f"{ts} greatwall kernel: {rec}")
    with open(os.path.join(OUT, "greatwall-ipchains.log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    print("border-router.log.gz", make_border(), "lines")
    print("dshield-2003-12.tsv", make_dshield(), "lines")
    print("greatwall-ipchains.log", make_ipchains(), "lines")
