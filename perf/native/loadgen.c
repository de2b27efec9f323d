/*
 * Echo load generator: one binary for every server in a run (perf/README.md, "Echo benchmark").
 *
 * Modes:
 *   pingpong    1 connection, one SIZE-byte message in flight; warm-up, then COUNT round trips, each
 *               latency (ns) written to --out, one per line.
 *   fixedrate   as pingpong, but message i is due at start + i/RATE; the latency is counted from that
 *               intended send time, so a stall is charged to every message it delays (no coordinated
 *               omission).
 *   stream      CONNS connections, DEPTH messages of SIZE bytes in flight on each; warm-up, then a
 *               measured window of DURATION ms; prints messages and bytes echoed in the window.
 *               (throughput: 50 x 16 x 64 B; bulk: 10 x 16 KiB.) With --total N (and --warmup 0) it
 *               instead sends exactly N messages and stops when all N have come back (for syscall counts).
 *
 * Every byte sent follows a fixed pattern and every byte received is checked against it, so a server that
 * drops, reorders or corrupts data fails the run. With --pid, the server's utime/stime (clock ticks, from
 * /proc/PID/stat) are read at the start and end of the measured window, and in stream mode the voluntary context
 * switches of all its threads (/proc/PID/task/TID/status): how often the server went to sleep waiting for work.
 * Output: one line "RESULT key=value ..." on stdout. Exit 0 on success, 2 on a bad echo or I/O error,
 * 3 when a time limit cut the run short of its count. Every loop is bounded by --max-ms.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PATTERN_PERIOD 251
#define MAX_CONNS 1024
#define READ_CHUNK (256 * 1024)

struct options
{
    const char *host;
    int port;
    const char *mode;
    int conns;
    int size;
    int depth;
    long warmup;       /* pingpong/fixedrate: round trips; stream: ms */
    long count;        /* pingpong/fixedrate: round trips recorded */
    long duration_ms;  /* stream: measured window */
    long rate;         /* fixedrate: messages per second */
    long max_ms;       /* hard bound on the whole run */
    const char *out;
    int pid;
    long total;        /* stream: stop after exactly this many messages echoed (0: run by time) */
};

struct conn
{
    int fd;
    uint64_t committed;  /* bytes of whole messages we decided to send */
    uint64_t sent;
    uint64_t received;
    int want_out;
};

static unsigned char *pattern;  /* PATTERN_PERIOD + largest single write, repeating 0..250 */
static uint64_t budget = UINT64_MAX;  /* stream --total: bytes of messages not yet committed */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void read_cpu(int pid, long *utime, long *stime)
{
    *utime = -1;
    *stime = -1;
    if (pid <= 0)
    {
        return;
    }
    char path[64];
    char buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
    {
        return;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p)
    {
        return;
    }
    /* after ")": field 3 (state) ... field 14 utime, field 15 stime */
    int field = 2;
    char *save = NULL;
    for (char *tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
    {
        field++;
        if (field == 14)
        {
            *utime = atol(tok);
        }
        else if (field == 15)
        {
            *stime = atol(tok);
            return;
        }
    }
}

/* Voluntary context switches of every thread of the server (a thread blocks, e.g. in epoll_wait with nothing
 * ready), or -1 when unknown. */
static long read_sleeps(int pid)
{
    if (pid <= 0)
    {
        return -1;
    }
    char path[96];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *dir = opendir(path);
    if (!dir)
    {
        return -1;
    }
    long total = 0;
    int threads = 0;
    for (struct dirent *e = readdir(dir); e; e = readdir(dir))
    {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
        {
            continue;
        }
        char file[160];
        snprintf(file, sizeof file, "/proc/%d/task/%.32s/status", pid, e->d_name);
        FILE *f = fopen(file, "r");
        if (!f)
        {
            continue; /* the thread ended */
        }
        char line[256];
        while (fgets(line, sizeof line, f))
        {
            if (strncmp(line, "voluntary_ctxt_switches:", 24) == 0)
            {
                total += atol(line + 24);
                threads++;
                break;
            }
        }
        fclose(f);
    }
    closedir(dir);
    return threads > 0 ? total : -1;
}

static int connect_to(const struct options *o)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
    {
        die("socket");
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->host, &sa.sin_addr) != 1)
    {
        fprintf(stderr, "loadgen: bad host %s\n", o->host);
        exit(2);
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
    {
        die("connect");
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0)
    {
        ssize_t w = write(fd, p, n);
        if (w < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            die("write");
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Read exactly n bytes and check them against the pattern at stream offset off. */
static void read_checked(int fd, unsigned char *buf, size_t n, uint64_t off)
{
    size_t got = 0;
    while (got < n)
    {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            die("read");
        }
        if (r == 0)
        {
            fprintf(stderr, "loadgen: server closed the connection\n");
            exit(2);
        }
        got += (size_t)r;
    }
    if (memcmp(buf, pattern + off % PATTERN_PERIOD, n) != 0)
    {
        fprintf(stderr, "loadgen: echoed bytes differ from those sent\n");
        exit(2);
    }
}

/*
 * Sleep until SPIN_NS before the due time, then spin: a sleeping thread wakes up late (timer slack, scheduler),
 * and with the latency counted from the due time that lateness would be charged to the server.
 */
#define SPIN_NS 50000ULL
static void wait_until(uint64_t due)
{
    uint64_t t = now_ns();
    if (t + SPIN_NS < due)
    {
        uint64_t wake = due - SPIN_NS;
        struct timespec ts = { (time_t)(wake / 1000000000ULL), (long)(wake % 1000000000ULL) };
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        {
        }
    }
    while (now_ns() < due)
    {
    }
}

static int run_latency(const struct options *o, int fixed_rate)
{
    int fd = connect_to(o);
    unsigned char *buf = malloc((size_t)o->size);
    uint64_t *lat = malloc(sizeof(uint64_t) * (size_t)(o->count > 0 ? o->count : 1));
    if (!buf || !lat)
    {
        die("malloc");
    }
    uint64_t off = 0;
    const uint64_t deadline = now_ns() + (uint64_t)o->max_ms * 1000000ULL;
    const uint64_t interval = fixed_rate ? 1000000000ULL / (uint64_t)o->rate : 0;
    long recorded = 0;
    long total = o->warmup + o->count;
    uint64_t start = now_ns();
    long usr0, sys0, usr1, sys1;
    read_cpu(o->pid, &usr0, &sys0);
    for (long i = 0; i < total; i++)
    {
        if (i == o->warmup)
        {
            read_cpu(o->pid, &usr0, &sys0);
            start = now_ns();
        }
        uint64_t t0;
        if (fixed_rate)
        {
            /* warm-up and measured run share one schedule, restarted when measuring starts */
            long k = i < o->warmup ? i : i - o->warmup;
            uint64_t base = i < o->warmup ? deadline - (uint64_t)o->max_ms * 1000000ULL : start;
            uint64_t due = base + (uint64_t)k * interval;
            wait_until(due);
            t0 = due;
        }
        else
        {
            t0 = now_ns();
        }
        write_all(fd, pattern + off % PATTERN_PERIOD, (size_t)o->size);
        read_checked(fd, buf, (size_t)o->size, off);
        off += (uint64_t)o->size;
        uint64_t t1 = now_ns();
        if (i >= o->warmup)
        {
            lat[recorded++] = t1 > t0 ? t1 - t0 : 0;
        }
        if (t1 > deadline)
        {
            break;
        }
    }
    double seconds = (now_ns() - start) / 1e9;
    read_cpu(o->pid, &usr1, &sys1);
    close(fd);
    if (o->out)
    {
        FILE *f = fopen(o->out, "w");
        if (!f)
        {
            die(o->out);
        }
        for (long i = 0; i < recorded; i++)
        {
            fprintf(f, "%llu\n", (unsigned long long)lat[i]);
        }
        fclose(f);
    }
    printf("RESULT mode=%s msgs=%ld bytes=%lld seconds=%.6f utime_ticks=%ld stime_ticks=%ld clk_tck=%ld\n",
        o->mode, recorded, (long long)recorded * o->size, seconds, usr1 - usr0, sys1 - sys0, sysconf(_SC_CLK_TCK));
    free(buf);
    free(lat);
    return recorded == o->count ? 0 : 3;
}

static void update_interest(int ep, struct conn *c, int want_out)
{
    if (c->want_out == want_out)
    {
        return;
    }
    struct epoll_event ev = { .events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.ptr = c };
    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0)
    {
        die("epoll_ctl");
    }
    c->want_out = want_out;
}

/* Commit whole messages while fewer than depth are in flight, then write what is committed. */
static void top_up(const struct options *o, int ep, struct conn *c)
{
    const uint64_t window = (uint64_t)o->depth * (uint64_t)o->size;
    while (c->committed - c->received + (uint64_t)o->size <= window && budget >= (uint64_t)o->size)
    {
        c->committed += (uint64_t)o->size;
        budget -= (uint64_t)o->size;
    }
    while (c->sent < c->committed)
    {
        size_t n = (size_t)(c->committed - c->sent);
        if (n > READ_CHUNK)
        {
            n = READ_CHUNK;
        }
        ssize_t w = write(c->fd, pattern + c->sent % PATTERN_PERIOD, n);
        if (w < 0)
        {
            if (errno == EAGAIN || errno == EINTR)
            {
                break;
            }
            die("write");
        }
        c->sent += (uint64_t)w;
    }
    update_interest(ep, c, c->sent < c->committed);
}

static int run_stream(const struct options *o)
{
    if (o->conns < 1 || o->conns > MAX_CONNS)
    {
        fprintf(stderr, "loadgen: --conns must be 1..%d\n", MAX_CONNS);
        return 2;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
    {
        die("epoll_create1");
    }
    struct conn *conns = calloc((size_t)o->conns, sizeof *conns);
    unsigned char *buf = malloc(READ_CHUNK);
    if (!conns || !buf)
    {
        die("malloc");
    }
    for (int i = 0; i < o->conns; i++)
    {
        conns[i].fd = connect_to(o);
        fcntl(conns[i].fd, F_SETFL, fcntl(conns[i].fd, F_GETFL) | O_NONBLOCK);
        conns[i].want_out = -1;
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &conns[i] };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) < 0)
        {
            die("epoll_ctl");
        }
    }
    if (o->total > 0)
    {
        budget = (uint64_t)o->total * (uint64_t)o->size;
    }
    for (int i = 0; i < o->conns; i++)
    {
        top_up(o, ep, &conns[i]);
    }
    const uint64_t t_begin = now_ns();
    const uint64_t t_measure = t_begin + (uint64_t)o->warmup * 1000000ULL;
    const uint64_t t_end = t_measure + (uint64_t)o->duration_ms * 1000000ULL;
    const uint64_t hard_end = t_begin + (uint64_t)o->max_ms * 1000000ULL;
    uint64_t bytes_at_start = 0;
    uint64_t bytes_total = 0;
    uint64_t t_start = 0;
    long usr0 = -1, sys0 = -1, usr1 = -1, sys1 = -1, sleeps0 = -1, sleeps1 = -1;
    int measuring = 0;
    struct epoll_event events[MAX_CONNS];
    for (;;)
    {
        uint64_t t = now_ns();
        if (!measuring && t >= t_measure)
        {
            measuring = 1;
            bytes_at_start = bytes_total;
            t_start = t;
            read_cpu(o->pid, &usr0, &sys0);
            sleeps0 = read_sleeps(o->pid);
        }
        if (measuring && o->total == 0 && t >= t_end)
        {
            break;
        }
        if (o->total > 0 && bytes_total == (uint64_t)o->total * (uint64_t)o->size)
        {
            break;
        }
        if (t >= hard_end)
        {
            fprintf(stderr, "loadgen: time limit reached\n");
            return 3;
        }
        int n = epoll_wait(ep, events, o->conns, 100);
        if (n < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++)
        {
            struct conn *c = events[i].data.ptr;
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
            {
                ssize_t r = read(c->fd, buf, READ_CHUNK);
                if (r == 0)
                {
                    fprintf(stderr, "loadgen: server closed a connection\n");
                    return 2;
                }
                if (r < 0)
                {
                    if (errno != EAGAIN && errno != EINTR)
                    {
                        die("read");
                    }
                    r = 0;
                }
                if (r > 0)
                {
                    if (c->received + (uint64_t)r > c->sent)
                    {
                        fprintf(stderr, "loadgen: received more bytes than sent\n");
                        return 2;
                    }
                    if (memcmp(buf, pattern + c->received % PATTERN_PERIOD, (size_t)r) != 0)
                    {
                        fprintf(stderr, "loadgen: echoed bytes differ from those sent\n");
                        return 2;
                    }
                    c->received += (uint64_t)r;
                    bytes_total += (uint64_t)r;
                }
            }
            top_up(o, ep, c);
        }
    }
    double seconds = (now_ns() - t_start) / 1e9;
    read_cpu(o->pid, &usr1, &sys1);
    sleeps1 = read_sleeps(o->pid);
    uint64_t bytes = bytes_total - bytes_at_start;
    for (int i = 0; i < o->conns; i++)
    {
        close(conns[i].fd);
    }
    close(ep);
    printf("RESULT mode=%s msgs=%llu bytes=%llu seconds=%.6f utime_ticks=%ld stime_ticks=%ld clk_tck=%ld "
        "sleeps=%ld\n",
        o->mode, (unsigned long long)(bytes / (uint64_t)o->size), (unsigned long long)bytes, seconds,
        usr1 - usr0, sys1 - sys0, sysconf(_SC_CLK_TCK), sleeps0 < 0 || sleeps1 < 0 ? -1 : sleeps1 - sleeps0);
    free(conns);
    free(buf);
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
        "usage: loadgen --port P --mode pingpong|fixedrate|stream [--host 127.0.0.1] [--conns N] [--size B]\n"
        "               [--depth D] [--warmup N] [--count N] [--duration-ms MS] [--rate R] [--max-ms MS]\n"
        "               [--out FILE] [--pid SERVER_PID] [--total MSGS]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    prctl(PR_SET_TIMERSLACK, 1UL);
    signal(SIGPIPE, SIG_IGN);
    struct options o = { "127.0.0.1", 0, NULL, 1, 64, 1, 5000, 20000, 2000, 5000, 60000, NULL, 0, 0 };
    for (int i = 1; i < argc; i++)
    {
        const char *a = argv[i];
        if (i + 1 >= argc)
        {
            usage();
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--host")) o.host = v;
        else if (!strcmp(a, "--port")) o.port = atoi(v);
        else if (!strcmp(a, "--mode")) o.mode = v;
        else if (!strcmp(a, "--conns")) o.conns = atoi(v);
        else if (!strcmp(a, "--size")) o.size = atoi(v);
        else if (!strcmp(a, "--depth")) o.depth = atoi(v);
        else if (!strcmp(a, "--warmup")) o.warmup = atol(v);
        else if (!strcmp(a, "--count")) o.count = atol(v);
        else if (!strcmp(a, "--duration-ms")) o.duration_ms = atol(v);
        else if (!strcmp(a, "--rate")) o.rate = atol(v);
        else if (!strcmp(a, "--max-ms")) o.max_ms = atol(v);
        else if (!strcmp(a, "--out")) o.out = v;
        else if (!strcmp(a, "--pid")) o.pid = atoi(v);
        else if (!strcmp(a, "--total")) o.total = atol(v);
        else usage();
    }
    if (!o.mode || o.port <= 0 || o.size < 1 || o.size > READ_CHUNK || o.depth < 1 || o.rate < 1 || o.max_ms < 1)
    {
        usage();
    }
    pattern = malloc(READ_CHUNK + PATTERN_PERIOD);
    if (!pattern)
    {
        die("malloc");
    }
    for (int i = 0; i < READ_CHUNK + PATTERN_PERIOD; i++)
    {
        pattern[i] = (unsigned char)(i % PATTERN_PERIOD);
    }
    if (!strcmp(o.mode, "pingpong"))
    {
        return run_latency(&o, 0);
    }
    if (!strcmp(o.mode, "fixedrate"))
    {
        return run_latency(&o, 1);
    }
    if (!strcmp(o.mode, "stream"))
    {
        return run_stream(&o);
    }
    usage();
    return 2;
}
