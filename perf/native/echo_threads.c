/*
 * The other floor: a blocking server with one thread per connection (read, then write all of it).
 * Usage: echo_threads PORT   (binds 127.0.0.1; TCP_NODELAY on every connection)
 */
#define _GNU_SOURCE
#include <netinet/tcp.h>
#include <pthread.h>

#include "echo_common.h"

#define BUF_SIZE (64 * 1024)

static void *serve(void *arg)
{
    int fd = (int)(long)arg;
    char *buf = malloc(BUF_SIZE);
    for (ssize_t n; buf && (n = read(fd, buf, BUF_SIZE)) != 0;)
    {
        if (n < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            break;
        }
        ssize_t off = 0;
        while (off < n)
        {
            ssize_t w = write(fd, buf + off, (size_t)(n - off));
            if (w < 0 && errno != EINTR)
            {
                goto done;
            }
            off += w > 0 ? w : 0;
        }
    }
done:
    free(buf);
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    int lfd = echo_listen(argc, argv, "echo_threads", 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (;;)
    {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
        {
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        pthread_t t;
        if (pthread_create(&t, &attr, serve, (void *)(long)fd) != 0)
        {
            close(fd);
        }
    }
}
