/*
 * The benchmark's load client in C, so that what is measured is the server and not the client
 * (a Node client spends about as much CPU per new connection as the host does). `npm run bench`
 * compiles it into .bench/ with the machine's cc; bench/load-worker.ts is the fallback and takes
 * the same arguments.
 *
 * One thread, epoll, `concurrency` sessions. Arguments are key=value:
 *   proto=qap|echo  port=N  seconds=S  concurrency=C  rate=R  max=N  newconn=0|1  fresh=0|1
 *   templates=FILE  nonceAt=N  timeAt=N  cmidAt=N
 * proto=qap: bind, then one activation request per call (templates: [u16 LE length][PDU] records,
 * the first the bind PDU, then one request PDU per client; a call patches call id, client time,
 * nonce and, with fresh=1, a random CMID in place). proto=echo: the bare TCP baseline (2-byte LE length + 250 bytes).
 * rate=0 is a closed loop (each session starts its next call when the last one ends); rate>0 is an
 * open loop on new connections at R calls a second. It stops at `seconds` or after `max` calls and
 * prints one JSON line: count, errors, firstError, elapsedMs, cpuUs (its own), p50Ms, p99Ms.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { S_IDLE, S_CONNECTING, S_BIND, S_CALL };
enum { PDU_RESPONSE = 2, PDU_FAULT = 3, PDU_BIND_ACK = 12, LAST_FRAG = 2 };
#define MAX_SLOTS 4096
#define BUF 8192

struct slot {
  int fd, state;
  uint32_t call_id;
  double started;
  size_t have;
  unsigned char in[BUF];
};

static const char *proto = "qap", *templates_file = "";
static int port, concurrency = 1, newconn = 1, fresh;
static double seconds = 4, rate;
static long max_calls = 2000000, nonce_at, time_at, cmid_at;
static unsigned char **tpl;
static size_t *tpl_len, tpl_count, tpl_next;
static unsigned char echo_req[252];
static int epfd, open_slots;
static long count, errors, started_calls;
static char first_error[160];
static double *lat;
static size_t lat_cap;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static struct sockaddr_in addr;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint64_t next_random(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return rng;
}

static double deadline;

static int may_start(void) { return now_ms() < deadline && started_calls < max_calls && errors < 1000; }

static void start_call(struct slot *s);

/* A session ends its call; in a closed loop it starts the next one at once. */
static void end_call(struct slot *s) {
  s->state = S_IDLE;
  open_slots--;
  if (rate == 0 && may_start()) start_call(s);
}

static void fail(struct slot *s, const char *why) {
  errors++;
  if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s", why);
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  end_call(s);
}

static int send_all(struct slot *s, const void *b, size_t n) {
  if (write(s->fd, b, n) == (ssize_t)n) return 0;
  fail(s, "short write");
  return -1;
}

static void send_request(struct slot *s) {
  if (strcmp(proto, "echo") == 0) {
    s->state = S_CALL;
    send_all(s, echo_req, sizeof echo_req);
    return;
  }
  size_t i = 1 + tpl_next++ % (tpl_count - 1);
  unsigned char pdu[1024];
  size_t n = tpl_len[i];
  memcpy(pdu, tpl[i], n);
  uint32_t id = ++s->call_id;
  memcpy(pdu + 12, &id, 4);
  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  uint64_t ms = (uint64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
  for (int b = 0; b < 6; b++) pdu[time_at + b] = (unsigned char)(ms >> (8 * b));
  uint64_t r1 = next_random(), r2 = next_random();
  memcpy(pdu + nonce_at, &r1, 8);
  memcpy(pdu + nonce_at + 8, &r2, 8);
  if (fresh) {
    r1 = next_random(), r2 = next_random();
    memcpy(pdu + cmid_at, &r1, 8);
    memcpy(pdu + cmid_at + 8, &r2, 8);
  }
  s->state = S_CALL;
  send_all(s, pdu, n);
}

static void start_call(struct slot *s) {
  started_calls++;
  open_slots++;
  s->started = now_ms();
  s->have = 0;
  if (s->fd >= 0) {
    send_request(s);
    return;
  }
  s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  s->state = S_CONNECTING;
  s->call_id = 1;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = s};
  epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &ev);
  if (connect(s->fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) fail(s, strerror(errno));
}

static void finish_call(struct slot *s) {
  if (lat_cap <= (size_t)count) {
    lat_cap = lat_cap ? lat_cap * 2 : 65536;
    lat = realloc(lat, lat_cap * sizeof *lat);
  }
  lat[count++] = now_ms() - s->started;
  if (newconn) {
    close(s->fd);
    s->fd = -1;
  }
  end_call(s);
}

/* The length of the first whole message in the slot's buffer, or 0 while it is incomplete. */
static size_t whole_message(struct slot *s) {
  if (strcmp(proto, "echo") == 0) {
    if (s->have < 2) return 0;
    size_t n = 2 + (s->in[0] | s->in[1] << 8);
    return s->have >= n ? n : 0;
  }
  if (s->have < 16) return 0;
  size_t n = s->in[8] | s->in[9] << 8;
  if (n < 16 || n > BUF) return (size_t)-1;
  return s->have >= n ? n : 0;
}

/* Handles one whole message; returns 0 when the slot may read on, -1 when the call ended or failed. */
static int on_message(struct slot *s, size_t n) {
  unsigned char type = s->in[2], flags = s->in[3];
  uint32_t call_id;
  memcpy(&call_id, s->in + 12, 4);
  memmove(s->in, s->in + n, s->have - n);
  s->have -= n;
  if (strcmp(proto, "echo") == 0) {
    finish_call(s);
    return -1;
  }
  if (s->state == S_BIND) {
    if (type != PDU_BIND_ACK) {
      fail(s, "bind refused");
      return -1;
    }
    send_request(s);
    return 0;
  }
  if (type == PDU_FAULT) {
    fail(s, "fault");
    return -1;
  }
  if (type != PDU_RESPONSE || call_id != s->call_id) {
    fail(s, "unexpected PDU");
    return -1;
  }
  if (!(flags & LAST_FRAG)) return 0;
  finish_call(s);
  return -1;
}

static void on_event(struct slot *s, uint32_t events) {
  if (s->state == S_CONNECTING) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err || (events & (EPOLLERR | EPOLLHUP))) return fail(s, err ? strerror(err) : "connect failed");
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
    epoll_ctl(epfd, EPOLL_CTL_MOD, s->fd, &ev);
    if (strcmp(proto, "echo") == 0) return send_request(s);
    s->state = S_BIND;
    send_all(s, tpl[0], tpl_len[0]);
    return;
  }
  ssize_t got = read(s->fd, s->in + s->have, BUF - s->have);
  if (got <= 0) return fail(s, got == 0 ? "the server closed the connection" : strerror(errno));
  s->have += (size_t)got;
  for (size_t n; (n = whole_message(s)) != 0;) {
    if (n == (size_t)-1) {
      fail(s, "bad fragment length");
      return;
    }
    if (on_message(s, n) < 0) return;
  }
}

static void load_templates(void) {
  FILE *f = fopen(templates_file, "rb");
  if (!f) perror(templates_file), exit(2);
  unsigned char h[2];
  while (fread(h, 1, 2, f) == 2) {
    size_t n = h[0] | h[1] << 8;
    tpl = realloc(tpl, (tpl_count + 1) * sizeof *tpl);
    tpl_len = realloc(tpl_len, (tpl_count + 1) * sizeof *tpl_len);
    tpl[tpl_count] = malloc(n);
    if (n > 1024 || fread(tpl[tpl_count], 1, n, f) != n) fprintf(stderr, "bad templates file\n"), exit(2);
    tpl_len[tpl_count++] = n;
  }
  fclose(f);
  if (tpl_count < 2) fprintf(stderr, "no bind and request templates\n"), exit(2);
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double cpu_us(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    char *v = strchr(argv[i], '=');
    if (!v) continue;
    *v++ = 0;
    const char *k = argv[i];
    if (!strcmp(k, "proto")) proto = v;
    else if (!strcmp(k, "port")) port = atoi(v);
    else if (!strcmp(k, "seconds")) seconds = atof(v);
    else if (!strcmp(k, "concurrency")) concurrency = atoi(v);
    else if (!strcmp(k, "rate")) rate = atof(v);
    else if (!strcmp(k, "max")) max_calls = atol(v);
    else if (!strcmp(k, "newconn")) newconn = atoi(v);
    else if (!strcmp(k, "fresh")) fresh = atoi(v);
    else if (!strcmp(k, "templates")) templates_file = v;
    else if (!strcmp(k, "nonceAt")) nonce_at = atol(v);
    else if (!strcmp(k, "timeAt")) time_at = atol(v);
    else if (!strcmp(k, "cmidAt")) cmid_at = atol(v);
  }
  if (concurrency < 1 || concurrency > MAX_SLOTS) fprintf(stderr, "concurrency 1..%d\n", MAX_SLOTS), exit(2);
  if (strcmp(proto, "echo") != 0) load_templates();
  echo_req[0] = 250 & 0xff, echo_req[1] = 0;
  memset(echo_req + 2, 0x51, 250);
  rng ^= (uint64_t)getpid() << 32 ^ (uint64_t)now_ms();
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  epfd = epoll_create1(0);
  static struct slot slots[MAX_SLOTS];
  int nslots = rate > 0 ? MAX_SLOTS : concurrency;
  for (int i = 0; i < nslots; i++) slots[i].fd = -1, slots[i].state = S_IDLE;

  double cpu0 = cpu_us(), t0 = now_ms(), interval = rate > 0 ? 1000 / rate : 0;
  deadline = t0 + seconds * 1000;
  if (rate == 0)
    for (int i = 0; i < nslots && may_start(); i++) start_call(&slots[i]);
  struct epoll_event evs[256];
  int scan = 0;
  for (;;) {
    /* Open loop: calls start on schedule, whether or not earlier ones have ended. */
    while (rate > 0 && may_start() && t0 + started_calls * interval <= now_ms() && open_slots < nslots) {
      while (slots[scan].state != S_IDLE) scan = (scan + 1) % nslots;
      start_call(&slots[scan]);
    }
    if (!open_slots && (rate == 0 || !may_start())) break;
    /* A call still open 10 s after the end counts as an error rather than stopping the bench. */
    if (now_ms() > deadline + 10000) {
      for (int i = 0; i < nslots; i++)
        if (slots[i].state != S_IDLE) errors++, snprintf(first_error, sizeof first_error, "no reply 10 s after the end");
      break;
    }
    int n = epoll_wait(epfd, evs, 256, rate > 0 ? 1 : 100);
    for (int i = 0; i < n; i++) on_event(evs[i].data.ptr, evs[i].events);
  }
  double elapsed = now_ms() - t0, cpu = cpu_us() - cpu0;
  for (int i = 0; i < nslots; i++)
    if (slots[i].fd >= 0) close(slots[i].fd);
  qsort(lat, (size_t)count, sizeof *lat, cmp);
  printf("{\"count\":%ld,\"errors\":%ld,\"firstError\":\"%s\",\"elapsedMs\":%.3f,\"cpuUs\":%.0f,", count, errors,
         first_error, elapsed, cpu);
  if (count)
    printf("\"p50Ms\":%.4f,\"p99Ms\":%.4f}\n", lat[(size_t)(0.5 * count)], lat[(size_t)(0.99 * count)]);
  else printf("\"p50Ms\":null,\"p99Ms\":null}\n");
  return 0;
}
