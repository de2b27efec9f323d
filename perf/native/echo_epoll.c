/*
 * The C floor: a hand-written, single-threaded, level-triggered epoll echo server.
 * Per readable event it makes one read and one write; bytes the socket does not take are kept per
 * connection and flushed on EPOLLOUT, and reading that connection pauses until they are gone.
 * Usage: echo_epoll PORT   (binds 127.0.0.1; TCP_NODELAY on every connection)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "echo_common.h"

#define BUF_SIZE (64 * 1024)
#define MAX_EVENTS 256

struct conn
{
    int fd;
    char *pending;      /* bytes read but not yet written, or NULL */
    size_t pending_off;
    size_t pending_len;
};

static void close_conn(int ep, struct conn *c)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->pending);
    free(c);
}

static void set_events(int ep, struct conn *c, unsigned events)
{
    struct epoll_event ev = { .events = events, .data.ptr = c };
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Returns -1 when the connection must close. */
static int on_readable(int ep, struct conn *c, char *buf)
{
    ssize_t n = read(c->fd, buf, BUF_SIZE);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
    {
        return -1;
    }
    if (n < 0)
    {
        return 0;
    }
    ssize_t w = write(c->fd, buf, (size_t)n);
    if (w < 0)
    {
        if (errno != EAGAIN && errno != EINTR)
        {
            return -1;
        }
        w = 0;
    }
    if (w < n)
    {
        c->pending_len = (size_t)(n - w);
        c->pending_off = 0;
        c->pending = malloc(c->pending_len);
        if (!c->pending)
        {
            return -1;
        }
        memcpy(c->pending, buf + w, c->pending_len);
        set_events(ep, c, EPOLLOUT);
    }
    return 0;
}

static int on_writable(int ep, struct conn *c)
{
    ssize_t w = write(c->fd, c->pending + c->pending_off, c->pending_len - c->pending_off);
    if (w < 0)
    {
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    }
    c->pending_off += (size_t)w;
    if (c->pending_off == c->pending_len)
    {
        free(c->pending);
        c->pending = NULL;
        set_events(ep, c, EPOLLIN);
    }
    return 0;
}

static void accept_all(int ep, int lfd)
{
    for (;;)
    {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
        {
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct conn *c = calloc(1, sizeof *c);
        if (!c)
        {
            close(fd);
            return;
        }
        c->fd = fd;
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
}

static void run_loop(int ep, int lfd)
{
    static char buf[BUF_SIZE];
    struct epoll_event events[MAX_EVENTS];
    for (;;)
    {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        for (int i = 0; i < n; i++)
        {
            if (events[i].data.ptr == NULL)
            {
                accept_all(ep, lfd);
                continue;
            }
            struct conn *c = events[i].data.ptr;
            int rc = c->pending ? on_writable(ep, c) : on_readable(ep, c, buf);
            if (rc < 0 || (!c->pending && (events[i].events & (EPOLLERR | EPOLLHUP)) && !(events[i].events & EPOLLIN)))
            {
                close_conn(ep, c);
            }
        }
    }
}

int main(int argc, char **argv)
{
    int lfd = echo_listen(argc, argv, "echo_epoll", 1);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    run_loop(ep, lfd);
    return 0;
}
