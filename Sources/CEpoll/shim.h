// epoll and eventfd for the preview server's socket pool (Linux only):
// Glibc's Swift module does not export these headers.
#include <sys/epoll.h>
#include <sys/eventfd.h>
