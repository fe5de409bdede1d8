/*
 * skiff-shim: the supervisor of one container of the process runtime (what
 * containerd-shim or conmon are to runc), and the helper that runs an exec
 * command inside a running container.
 *
 * Why a native program: a container must outlive the agent (Node) that
 * started it, and its exit must be recorded even when no agent runs. The
 * shim is started detached (own session); it forks the container process,
 * puts it in its cgroups and private mount namespace before exec, copies its
 * stdout/stderr into the log file in the CRI format, and writes the exit
 * status atomically when it ends. It is the container's subreaper, so
 * descendants that leave the process group stay findable and die with it.
 *
 *   skiff-shim run --info FILE --exit FILE --log FILE [--log-max BYTES]
 *       [--cwd DIR] [--cgroup DIR]... [--mount SRC DST ro|rw]... [--netns PATH]
 *       [--hostname NAME] -- CMD [ARG]...
 *     fd 3 (optional) receives one line: "ok" once CMD runs, or
 *     "error STAGE INDEX ERRNO MESSAGE" if it could not be started.
 *     FILE --info gets {"shimPid","shimStart","pid","pidStart","startedAt"}.
 *     FILE --exit gets {"exitCode","signal","finishedAt"} when CMD ended.
 *     Each --cgroup DIR that does not exist yet is made first (the agent
 *     makes only those it writes limits into, so that the mkdir, slow on
 *     some hosts, runs here and not on its event loop).
 *     --netns joins the pod's network namespace (a file under /run/netns);
 *     --hostname gives the container its own UTS namespace with that name.
 *     Both apply to the container process only, never to the shim.
 *
 *   skiff-shim exec --pid PID --pid-start TICKS [--cgroup DIR]... [--cwd DIR]
 *       [--tty] -- CMD [ARG]...
 *     Joins PID's cgroups and its mount, network and UTS namespaces and runs CMD with this
 *     environment. With --tty, CMD gets a pseudo-terminal (stderr goes to
 *     stdout) and fd 3 takes "COLS ROWS" lines to resize it.
 *
 * Signals: the shim catches them (signalfd, never SIG_IGN, so the child
 * starts with default dispositions and an empty mask) and forwards
 * SIGTERM/SIGINT/SIGHUP/SIGQUIT to the child's process group.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Longest log record content; longer lines are split into P records (containerd's default). */
#define LINE_MAX_BYTES 16384
/* How long to wait for the output pipes to close after the main process ended. */
#define DRAIN_MS 2000

enum stage { ST_CGROUP = 1, ST_UNSHARE, ST_PROPAGATION, ST_MOUNT, ST_READONLY, ST_CHDIR, ST_EXEC, ST_SETUP, ST_NETNS, ST_HOSTNAME };
static const char *stage_names[] = {"", "cgroup", "unshare", "propagation", "mount", "readonly", "chdir", "exec", "setup", "netns", "hostname"};

struct mountspec {
  const char *src, *dst;
  int ro;
};

struct options {
  const char *info, *exit, *log, *cwd, *netns, *hostname;
  long long log_max;
  const char **cgroups;
  int ncgroups;
  struct mountspec *mounts;
  int nmounts;
  pid_t pid;
  unsigned long long pid_start;
  int tty;
  char **argv;
};

static void die(const char *what) {
  fprintf(stderr, "skiff-shim: %s: %s\n", what, strerror(errno));
  exit(125);
}

static void usage(void) {
  fprintf(stderr, "usage: skiff-shim run|exec [options] -- CMD [ARG]...\n");
  exit(125);
}

static void parse(int argc, char **argv, struct options *o) {
  memset(o, 0, sizeof *o);
  o->cgroups = calloc(argc, sizeof *o->cgroups);
  o->mounts = calloc(argc, sizeof *o->mounts);
  if (!o->cgroups || !o->mounts) die("calloc");
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (usage(), ""))
    if (!strcmp(a, "--")) {
      o->argv = argv + i + 1;
      break;
    } else if (!strcmp(a, "--info")) o->info = NEXT();
    else if (!strcmp(a, "--exit")) o->exit = NEXT();
    else if (!strcmp(a, "--log")) o->log = NEXT();
    else if (!strcmp(a, "--log-max")) o->log_max = atoll(NEXT());
    else if (!strcmp(a, "--cwd")) o->cwd = NEXT();
    else if (!strcmp(a, "--netns")) o->netns = NEXT();
    else if (!strcmp(a, "--hostname")) o->hostname = NEXT();
    else if (!strcmp(a, "--cgroup")) o->cgroups[o->ncgroups++] = NEXT();
    else if (!strcmp(a, "--mount")) {
      struct mountspec *m = &o->mounts[o->nmounts++];
      m->src = NEXT();
      m->dst = NEXT();
      m->ro = !strcmp(NEXT(), "ro");
    } else if (!strcmp(a, "--pid")) o->pid = atoi(NEXT());
    else if (!strcmp(a, "--pid-start")) o->pid_start = strtoull(NEXT(), NULL, 10);
    else if (!strcmp(a, "--tty")) o->tty = 1;
    else usage();
#undef NEXT
  }
  if (!o->argv || !o->argv[0]) usage();
}

/* ---- small helpers ---------------------------------------------------- */

/* Field 22 of /proc/PID/stat (start time in clock ticks since boot), 0 if gone; *state gets field 3. */
static unsigned long long proc_start(pid_t pid, char *state, pid_t *ppid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return 0;
  char st = 0;
  int pp = 0;
  unsigned long long start = 0;
  /* after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime */
  if (sscanf(p + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &st, &pp, &start) != 3) return 0;
  if (state) *state = st;
  if (ppid) *ppid = pp;
  return start;
}

/* Go's time.RFC3339Nano in UTC: fraction without trailing zeros, none at all when zero. */
static void rfc3339nano(const struct timespec *ts, char *out, size_t size) {
  struct tm tm;
  gmtime_r(&ts->tv_sec, &tm);
  size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
  if (ts->tv_nsec) {
    char frac[16];
    snprintf(frac, sizeof frac, ".%09ld", ts->tv_nsec);
    size_t len = strlen(frac);
    while (frac[len - 1] == '0') frac[--len] = 0;
    n += snprintf(out + n, size - n, "%s", frac);
  }
  snprintf(out + n, size - n, "Z");
}

static void write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        /* A full non-blocking terminal: wait until it takes more. */
        struct pollfd p = {fd, POLLOUT, 0};
        poll(&p, 1, -1);
        continue;
      }
      return;
    }
    s += w;
    n -= (size_t)w;
  }
}

/* Writes FILE atomically: FILE.tmp, fsync, rename. */
static int write_file_atomic(const char *path, const char *text) {
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  write_all(fd, text, strlen(text));
  fsync(fd);
  close(fd);
  return rename(tmp, path);
}

static int join_cgroups(const struct options *o) {
  char path[PATH_MAX], pid[32];
  int n = snprintf(pid, sizeof pid, "%d", (int)getpid());
  for (int i = 0; i < o->ncgroups; i++) {
    snprintf(path, sizeof path, "%s/cgroup.procs", o->cgroups[i]);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return i;
    ssize_t w = write(fd, pid, (size_t)n);
    int saved = errno;
    close(fd);
    errno = saved;
    if (w != n) return i;
  }
  return -1;
}

static void set_cloexec_from(int lowest) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    int fd = atoi(e->d_name);
    if (fd >= lowest && fd != dirfd(d)) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  closedir(d);
}

static void reset_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static int signal_fd(void) {
  sigset_t set;
  sigemptyset(&set);
  int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaddset(&set, sigs[i]);
  if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) die("sigprocmask");
  int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) die("signalfd");
  return fd;
}

/* ---- killing what is left ---------------------------------------------- */

/* SIGKILLs the child's process group, every process in the container's cgroups, and every descendant of the shim. */
static void kill_rest(const struct options *o, pid_t child) {
  pid_t self = getpid();
  kill(-child, SIGKILL);
  char path[PATH_MAX];
  for (int i = 0; i < o->ncgroups; i++) {
    snprintf(path, sizeof path, "%s/cgroup.procs", o->cgroups[i]);
    FILE *f = fopen(path, "re");
    if (!f) continue;
    int pid;
    while (fscanf(f, "%d", &pid) == 1)
      if (pid != self) kill(pid, SIGKILL);
    fclose(f);
  }
  /* Descendants: repeat the /proc walk until it finds nothing new (a parent is listed after its child sometimes). */
  static pid_t found[65536];
  int nfound = 0;
  for (int changed = 1; changed;) {
    changed = 0;
    DIR *d = opendir("/proc");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
      pid_t pid = atoi(e->d_name), ppid = 0;
      if (pid <= 0 || pid == self) continue;
      if (!proc_start(pid, NULL, &ppid)) continue;
      int known = 0, parent_ours = ppid == self;
      for (int i = 0; i < nfound; i++) {
        if (found[i] == pid) known = 1;
        if (found[i] == ppid) parent_ours = 1;
      }
      if (!known && parent_ours && nfound < (int)(sizeof found / sizeof *found)) {
        found[nfound++] = pid;
        kill(pid, SIGKILL);
        changed = 1;
      }
    }
    closedir(d);
  }
}

/* ---- the CRI log ------------------------------------------------------- */

struct logfile {
  const char *path;
  int fd;
  long long size, max;
};

struct stream {
  int fd;
  const char *name;
  char buf[LINE_MAX_BYTES];
  size_t len;
};

static void log_open(struct logfile *l, int truncate) {
  l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0640);
  struct stat st;
  l->size = l->fd >= 0 && fstat(l->fd, &st) == 0 ? st.st_size : 0;
}

/* Moves the log to LOG.1 (replacing the previous generation) and starts a new one. */
static void log_rotate(struct logfile *l) {
  char old[PATH_MAX];
  snprintf(old, sizeof old, "%s.1", l->path);
  int moved = rename(l->path, old) == 0;
  if (l->fd >= 0) close(l->fd);
  log_open(l, !moved);
}

/* One record: "<timestamp> <stream> <F|P> <content>\n". */
static void log_record(struct logfile *l, const char *stream, char tag, const char *data, size_t n) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  char head[96];
  rfc3339nano(&now, head, sizeof head);
  size_t hl = strlen(head);
  hl += (size_t)snprintf(head + hl, sizeof head - hl, " %s %c ", stream, tag);
  long long len = (long long)(hl + n + 1);
  if (l->max > 0 && l->size > 0 && l->size + len > l->max) log_rotate(l);
  if (l->fd < 0) return;
  struct iovec iov[3] = {{head, hl}, {(void *)data, n}, {"\n", 1}};
  ssize_t w = writev(l->fd, iov, 3);
  if (w > 0) l->size += w;
}

/* Emits every complete line in the buffer; a full buffer without newline becomes a P record. */
static void stream_flush_lines(struct logfile *l, struct stream *s) {
  size_t start = 0;
  for (size_t i = 0; i < s->len; i++) {
    if (s->buf[i] != '\n') continue;
    size_t end = i;
    if (end > start && s->buf[end - 1] == '\r') end--;
    log_record(l, s->name, 'F', s->buf + start, end - start);
    start = i + 1;
  }
  memmove(s->buf, s->buf + start, s->len - start);
  s->len -= start;
  if (s->len == sizeof s->buf) {
    log_record(l, s->name, 'P', s->buf, s->len);
    s->len = 0;
  }
}

/* Reads what is available; on EOF writes a trailing partial line (as P, like containerd) and closes. */
static void stream_read(struct logfile *l, struct stream *s) {
  ssize_t n = read(s->fd, s->buf + s->len, sizeof s->buf - s->len);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    if (s->len) log_record(l, s->name, 'P', s->buf, s->len);
    s->len = 0;
    close(s->fd);
    s->fd = -1;
    return;
  }
  s->len += (size_t)n;
  stream_flush_lines(l, s);
}

/* ---- run --------------------------------------------------------------- */

struct child_error {
  int stage, index, err;
};

static void child_fail(int fd, int stage, int index) {
  struct child_error ce = {stage, index, errno};
  write_all(fd, (const char *)&ce, sizeof ce);
  _exit(127);
}

static unsigned long mount_flags_of(const char *path) {
  struct statvfs sv;
  unsigned long flags = 0;
  if (statvfs(path, &sv) != 0) return 0;
  if (sv.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

/* In the forked child: cgroups, mount namespace, stdio, cwd, then exec. Errors go to errfd. */
static void run_child(const struct options *o, int out, int err, int errfd) {
  reset_signals();
  if (setsid() < 0) child_fail(errfd, ST_SETUP, 0);
  int bad = join_cgroups(o);
  if (bad >= 0) child_fail(errfd, ST_CGROUP, bad);
  if (o->netns) {
    int fd = open(o->netns, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) child_fail(errfd, ST_NETNS, 0);
    close(fd);
  }
  if (o->hostname && (unshare(CLONE_NEWUTS) < 0 || sethostname(o->hostname, strlen(o->hostname)) < 0)) child_fail(errfd, ST_HOSTNAME, 0);
  if (o->nmounts > 0) {
    if (unshare(CLONE_NEWNS) < 0) child_fail(errfd, ST_UNSHARE, 0);
    /* Host mounts still propagate in; ours never propagate out. */
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) child_fail(errfd, ST_PROPAGATION, 0);
    for (int i = 0; i < o->nmounts; i++) {
      const struct mountspec *m = &o->mounts[i];
      if (mount(m->src, m->dst, NULL, MS_BIND | MS_REC, NULL) < 0) child_fail(errfd, ST_MOUNT, i);
      if (m->ro && mount(NULL, m->dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | mount_flags_of(m->dst), NULL) < 0)
        child_fail(errfd, ST_READONLY, i);
    }
  }
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) child_fail(errfd, ST_SETUP, 0);
  if (chdir(o->cwd ? o->cwd : "/") < 0) child_fail(errfd, ST_CHDIR, 0);
  set_cloexec_from(3);
  execvp(o->argv[0], o->argv);
  child_fail(errfd, ST_EXEC, 0);
}

static void report(const char *line) {
  /* fd 3 is the starter's pipe; it may be gone (the agent died): ignore errors. */
  write_all(3, line, strlen(line));
  close(3);
}

/* Makes the cgroups that do not exist yet; returns the index of the first that cannot be made, or -1. */
static int make_cgroups(const struct options *o) {
  for (int i = 0; i < o->ncgroups; i++)
    if (mkdir(o->cgroups[i], 0755) < 0 && errno != EEXIST) return i;
  return -1;
}

static int cmd_run(const struct options *o) {
  if (!o->info || !o->exit || !o->log) usage();
  int badcg = make_cgroups(o);
  if (badcg >= 0) {
    char line[512];
    int e = errno;
    snprintf(line, sizeof line, "error %s %d %d %s\n", stage_names[ST_CGROUP], badcg, e, strerror(e));
    report(line);
    return 1;
  }
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int sfd = signal_fd();
  struct logfile log = {.path = o->log, .max = o->log_max};
  log_open(&log, 0);
  if (log.fd < 0) die("open log");

  int outp[2], errp[2], ep[2];
  if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) die("pipe");
  struct timespec started;
  clock_gettime(CLOCK_REALTIME, &started);
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    close(outp[0]);
    close(errp[0]);
    close(ep[0]);
    run_child(o, outp[1], errp[1], ep[1]);
  }
  close(outp[1]);
  close(errp[1]);
  close(ep[1]);
  /* The child cannot be reaped before we wait for it, so its start time is readable even if it already ended. */
  unsigned long long child_start = proc_start(child, NULL, NULL);

  struct child_error ce;
  ssize_t n;
  do n = read(ep[0], &ce, sizeof ce);
  while (n < 0 && errno == EINTR);
  close(ep[0]);
  if (n == (ssize_t)sizeof ce) {
    waitpid(child, NULL, 0);
    char line[512];
    snprintf(line, sizeof line, "error %s %d %d %s\n", stage_names[ce.stage], ce.index, ce.err, strerror(ce.err));
    report(line);
    return 1;
  }

  char stamp[64], text[512];
  rfc3339nano(&started, stamp, sizeof stamp);
  snprintf(text, sizeof text, "{\"shimPid\":%d,\"shimStart\":%llu,\"pid\":%d,\"pidStart\":%llu,\"startedAt\":\"%s\"}\n", (int)getpid(),
           proc_start(getpid(), NULL, NULL), (int)child, child_start, stamp);
  if (write_file_atomic(o->info, text) < 0) {
    kill(-child, SIGKILL);
    waitpid(child, NULL, 0);
    report("error setup 0 5 cannot write the info file\n");
    return 1;
  }
  report("ok\n");

  static struct stream out = {.name = "stdout"}, err = {.name = "stderr"};
  out.fd = outp[0];
  err.fd = errp[0];
  int status = 0, exited = 0;
  struct timespec finished = {0}, deadline = {0};
  for (;;) {
    int timeout = -1;
    if (exited) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      long long left = (deadline.tv_sec - now.tv_sec) * 1000LL + (deadline.tv_nsec - now.tv_nsec) / 1000000;
      if ((out.fd < 0 && err.fd < 0) || left <= 0) break;
      timeout = (int)left;
    }
    struct pollfd p[3] = {{sfd, POLLIN, 0}, {out.fd, POLLIN, 0}, {err.fd, POLLIN, 0}};
    if (poll(p, 3, timeout) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (p[1].revents) stream_read(&log, &out);
    if (p[2].revents) stream_read(&log, &err);
    if (p[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGCHLD) {
          int st;
          pid_t pid;
          while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
            if (pid != child || exited) continue;
            status = st;
            exited = 1;
            clock_gettime(CLOCK_REALTIME, &finished);
            /* Like the end of a container's PID namespace: what the main process leaves behind dies with it. */
            kill_rest(o, child);
            clock_gettime(CLOCK_MONOTONIC, &deadline);
            deadline.tv_sec += DRAIN_MS / 1000;
          }
        } else if (si.ssi_signo != SIGPIPE && !exited) {
          kill(-child, (int)si.ssi_signo);
        }
      }
    }
  }
  if (out.fd >= 0) stream_read(&log, &out);
  if (err.fd >= 0) stream_read(&log, &err);
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }

  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  char sig[32] = "null";
  if (WIFSIGNALED(status)) {
    const char *abbrev = sigabbrev_np(WTERMSIG(status));
    if (abbrev) snprintf(sig, sizeof sig, "\"SIG%s\"", abbrev);
    else snprintf(sig, sizeof sig, "\"%d\"", WTERMSIG(status));
  }
  rfc3339nano(&finished, stamp, sizeof stamp);
  snprintf(text, sizeof text, "{\"exitCode\":%d,\"signal\":%s,\"finishedAt\":\"%s\"}\n", code, sig, stamp);
  if (log.fd >= 0) fsync(log.fd);
  if (write_file_atomic(o->exit, text) < 0) die("write exit file");
  return 0;
}

/* ---- exec -------------------------------------------------------------- */

static void exec_fail(const char *cmd) {
  if (errno == ENOENT && !strchr(cmd, '/')) fprintf(stderr, "exec: \"%s\": executable file not found in $PATH\n", cmd);
  else fprintf(stderr, "exec: \"%s\": %s\n", cmd, strerror(errno));
  _exit(errno == ENOENT ? 127 : 126);
}

static int exit_like(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    signal(sig, SIG_DFL);
    reset_signals();
    kill(getpid(), sig);
    return 128 + sig;
  }
  return WEXITSTATUS(status);
}

/* Relays stdin -> terminal, terminal -> stdout, resize lines on fd 3, until the command ends. */
static int exec_tty(const struct options *o) {
  int sfd = signal_fd();
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) die("openpt");
  const char *slave = ptsname(master);
  if (!slave) die("ptsname");
  /* Held open by us until the command ends, so the master never reads EIO before the command opened its side. */
  int hold = open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (hold < 0) die("open pty");
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    reset_signals();
    setsid();
    int s = open(slave, O_RDWR);
    if (s < 0) die("open pty");
    ioctl(s, TIOCSCTTY, 0);
    dup2(s, 0);
    dup2(s, 1);
    dup2(s, 2);
    if (s > 2) close(s);
    set_cloexec_from(3);
    execvp(o->argv[0], o->argv);
    exec_fail(o->argv[0]);
  }
  fcntl(master, F_SETFL, O_NONBLOCK);
  int in = 0, ctl = 3, status = 0, done = 0, eof_pending = 0;
  char buf[8192], inbuf[8192], ctlbuf[256];
  size_t ctllen = 0, inlen = 0, inoff = 0;
  while (!done) {
    /* Input waits in inbuf until the terminal takes it; no more is read meanwhile (no deadlock with output). */
    int pending = inoff < inlen || eof_pending;
    struct pollfd p[4] = {
        {sfd, POLLIN, 0}, {master, (short)(POLLIN | (pending ? POLLOUT : 0)), 0}, {pending ? -1 : in, POLLIN, 0}, {ctl, POLLIN, 0}};
    if (poll(p, 4, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (p[1].revents & POLLIN) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n > 0) write_all(1, buf, (size_t)n);
    }
    if (p[3].revents) {
      ssize_t n = read(ctl, ctlbuf + ctllen, sizeof ctlbuf - 1 - ctllen);
      if (n <= 0) ctl = -1;
      else {
        ctllen += (size_t)n;
        char *nl;
        while ((nl = memchr(ctlbuf, '\n', ctllen))) {
          *nl = 0;
          struct winsize ws = {0};
          if (sscanf(ctlbuf, "%hu %hu", &ws.ws_col, &ws.ws_row) == 2) ioctl(master, TIOCSWINSZ, &ws);
          size_t used = (size_t)(nl - ctlbuf) + 1;
          memmove(ctlbuf, nl + 1, ctllen - used);
          ctllen -= used;
        }
        if (ctllen == sizeof ctlbuf - 1) ctllen = 0;
      }
    }
    /* After resizes: input sent after a resize finds the terminal resized. */
    if (p[1].revents & POLLOUT) {
      if (inoff < inlen) {
        ssize_t w = write(master, inbuf + inoff, inlen - inoff);
        if (w > 0) inoff += (size_t)w;
        else if (w < 0 && errno != EAGAIN && errno != EINTR) inoff = inlen;
      } else if (eof_pending && write(master, "\x04", 1) == 1) {
        eof_pending = 0; /* the terminal's EOF character stands for the end of input */
      }
      if (inoff == inlen) inoff = inlen = 0;
    }
    if (p[2].revents) {
      ssize_t n = read(in, inbuf, sizeof inbuf);
      if (n > 0) {
        inlen = (size_t)n;
        inoff = 0;
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        eof_pending = 1;
        in = -1;
      }
    }
    if (p[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGCHLD) {
          if (waitpid(child, &status, WNOHANG) == child) done = 1;
        } else if (si.ssi_signo != SIGPIPE) {
          kill(-child, (int)si.ssi_signo);
        }
      }
    }
  }
  /* What the command wrote just before it ended. */
  close(hold);
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;
    write_all(1, buf, (size_t)n);
  }
  return exit_like(status);
}

/* Joins the namespace open at fd unless this process is in it already (the same inode). */
static void join_ns(int fd, const char *name, int type) {
  char self[64];
  snprintf(self, sizeof self, "/proc/self/ns/%s", name);
  struct stat mine, theirs;
  if (stat(self, &mine) == 0 && fstat(fd, &theirs) == 0 && mine.st_ino != theirs.st_ino && setns(fd, type) < 0) die("setns");
  close(fd);
}

static int cmd_exec(const struct options *o) {
  if (o->pid <= 0) usage();
  if (o->tty) dup2(1, 2);
  static const struct {
    const char *name;
    int type;
  } kinds[] = {{"net", CLONE_NEWNET}, {"uts", CLONE_NEWUTS}, {"mnt", CLONE_NEWNS}};
  int ns[3];
  char path[64];
  /* Open first, then check the start time: the namespaces are then surely the container's. */
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)o->pid, kinds[i].name);
    ns[i] = open(path, O_RDONLY | O_CLOEXEC);
  }
  char state = 0;
  if (ns[0] < 0 || ns[1] < 0 || ns[2] < 0 || proc_start(o->pid, &state, NULL) != o->pid_start || state == 'Z') {
    fprintf(stderr, "skiff-shim: container process %d is not running\n", (int)o->pid);
    return 125;
  }
  if (join_cgroups(o) >= 0) die("join cgroup");
  /* The mount namespace last: /proc/self stays this process's view until then. */
  for (int i = 0; i < 3; i++) join_ns(ns[i], kinds[i].name, kinds[i].type);
  if (chdir(o->cwd ? o->cwd : "/") < 0) die("chdir");
  if (o->tty) return exec_tty(o);
  set_cloexec_from(3);
  execvp(o->argv[0], o->argv);
  exec_fail(o->argv[0]);
  return 126;
}

int main(int argc, char **argv) {
  if (argc < 2) usage();
  /* fd 3 is the starter's channel; hold it with /dev/null when absent so no pipe of ours lands there. */
  if (fcntl(3, F_GETFD) < 0) {
    int fd = open("/dev/null", O_RDWR);
    if (fd >= 0 && fd != 3) {
      dup2(fd, 3);
      close(fd);
    }
  }
  struct options o;
  parse(argc, argv, &o);
  if (!strcmp(argv[1], "run")) return cmd_run(&o);
  if (!strcmp(argv[1], "exec")) return cmd_exec(&o);
  usage();
  return 125;
}
