#ifndef CLINUX_H
#define CLINUX_H
// Linux interfaces that Swift's Glibc module does not export, or exports in a shape that is
// awkward to use: `struct epoll_event` is packed on x86_64, so these helpers take and return its
// fields separately.
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

static const uint32_t CLINUX_EPOLLIN = EPOLLIN;
static const uint32_t CLINUX_EPOLLOUT = EPOLLOUT;
static const uint32_t CLINUX_EPOLLERR = EPOLLERR;
static const uint32_t CLINUX_EPOLLHUP = EPOLLHUP;
static const uint32_t CLINUX_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t CLINUX_EPOLLEXCLUSIVE = EPOLLEXCLUSIVE;

static const int CLINUX_SOCK_NONBLOCK = SOCK_NONBLOCK;
static const int CLINUX_SOCK_CLOEXEC = SOCK_CLOEXEC;
static const int CLINUX_EFD_NONBLOCK = EFD_NONBLOCK;
static const int CLINUX_EFD_CLOEXEC = EFD_CLOEXEC;
static const int CLINUX_EPOLL_CLOEXEC = EPOLL_CLOEXEC;

int clinux_accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

int clinux_epoll_create(void);

/// Adds, modifies or removes `fd` in the epoll set; `token` comes back with each of its events.
int clinux_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token);

/// Waits for events and unpacks up to `capacity` of them into `tokens` and `events`.
int clinux_epoll_wait(int epfd, uint64_t *tokens, uint32_t *events, int capacity, int timeout_ms);

int clinux_eventfd(void);

/// Installs handlers for SIGINT and SIGTERM that write the signal's number, as one byte, to a
/// pipe, and returns the pipe's read end (or -1 with errno set). A signal that arrives at any
/// time after this call waits in the pipe until it is read, so none is lost, and the handlers
/// also take effect for PID 1, which ignores signals left at their default action.
int clinux_install_stop_signal_pipe(void);
#endif
