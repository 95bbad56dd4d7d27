package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The backup channel: a unix socket beside the database through which
// `intranet backup` asks the running server for a copy, since the server
// holds the database file's lock. Only the service's own user can connect
// (mode 0600). One line each way:
//
//	backup /absolute/path/of/the/new/file
//	ok 1234567        (bytes written, the copy verified)
//	error message

// SocketPath is where the server serving the database at dbPath listens
// for backup requests.
func SocketPath(dbPath string) string { return dbPath + ".sock" }

// ErrNoBackupChannel means nothing answers on the backup socket.
var ErrNoBackupChannel = errors.New("the server's backup channel does not answer")

const (
	requestTimeout = 10 * time.Second // to send the request line, and to take the answer
	maxRequest     = 4096
)

// Serve answers backup requests on a unix socket at sockPath until ctx
// ends; a copy in progress is finished first. The socket is removed when
// Serve returns.
func (b *Backups) Serve(ctx context.Context, sockPath string) error {
	ln, err := listenPrivate(sockPath)
	if err != nil {
		return fmt.Errorf("backup channel: %w", err)
	}
	var wg sync.WaitGroup
	defer os.Remove(sockPath)
	defer wg.Wait()
	defer ln.Close()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of file descriptors and the like: try again shortly.
			b.log.Error("backup channel", "err", err)
			if !b.wait(ctx, 100*time.Millisecond) {
				return nil
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.answer(conn)
		}()
	}
}

// listenPrivate listens on sockPath with mode 0600 from the first moment:
// the socket is made under a temporary name, restricted, then renamed.
func listenPrivate(sockPath string) (*net.UnixListener, error) {
	// A unix socket's path holds at most 107 bytes on Linux, 103 on the
	// BSDs; the temporary name below is 4 longer.
	if len(sockPath) > 96 {
		return nil, fmt.Errorf("%s: the path is too long for a unix socket (at most 96 bytes); move the database to a shorter path", sockPath)
	}
	// The server holds the database lock, so a socket already there was
	// left by one that did not stop cleanly.
	if err := removeSocket(sockPath); err != nil {
		return nil, err
	}
	tmp := sockPath + ".new"
	if err := removeSocket(tmp); err != nil {
		return nil, err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, err
	}
	ln.SetUnlinkOnClose(false) // it is renamed: Serve removes it under its final name
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, sockPath); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, err
	}
	return ln, nil
}

// removeSocket removes a socket at path; anything else there is left alone.
func removeSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("%s exists and is not a socket; it is left alone: move it away", path)
	}
	return os.Remove(path)
}

// answer serves one request.
func (b *Backups) answer(conn net.Conn) {
	defer conn.Close()
	reply := func(format string, args ...any) {
		_ = conn.SetWriteDeadline(time.Now().Add(requestTimeout))
		line := strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " ")
		_, _ = io.WriteString(conn, line+"\n")
	}
	_ = conn.SetReadDeadline(time.Now().Add(requestTimeout))
	line, err := bufio.NewReader(io.LimitReader(conn, maxRequest)).ReadString('\n')
	if err != nil {
		reply("error the request is not one line of at most %d bytes", maxRequest)
		return
	}
	verb, path, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
	switch {
	case verb != "backup":
		reply("error unknown request %q; say: backup /absolute/path", verb)
	case !filepath.IsAbs(path):
		reply("error the path must be absolute: %q", path)
	default:
		info, err := b.CopyTo(System, filepath.Clean(path))
		if err != nil {
			reply("error %v", err)
			return
		}
		reply("ok %d", info.Size)
	}
}

// RequestBackup asks the server listening on sockPath to write a verified
// copy of its database to path (absolute, not existing yet) and returns the
// copy's size. A copy of a large database takes a while: there is no
// deadline for the answer once the request is sent.
func RequestBackup(sockPath, path string) (int64, error) {
	if !filepath.IsAbs(path) || strings.ContainsAny(path, "\r\n") {
		return 0, fmt.Errorf("backup: %q: the path must be absolute and on one line", path)
	}
	conn, err := net.DialTimeout("unix", sockPath, requestTimeout)
	if err != nil {
		return 0, fmt.Errorf("%w (%s: %v)", ErrNoBackupChannel, sockPath, err)
	}
	defer conn.Close()
	_ = conn.SetWriteDeadline(time.Now().Add(requestTimeout))
	if _, err := fmt.Fprintf(conn, "backup %s\n", path); err != nil {
		return 0, fmt.Errorf("%w (%s: %v)", ErrNoBackupChannel, sockPath, err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("backup: the server gave no answer: %v", err)
	}
	line = strings.TrimSuffix(line, "\n")
	if msg, ok := strings.CutPrefix(line, "error "); ok {
		return 0, fmt.Errorf("backup: the server says: %s", msg)
	}
	if n, ok := strings.CutPrefix(line, "ok "); ok {
		if size, err := strconv.ParseInt(n, 10, 64); err == nil {
			return size, nil
		}
	}
	return 0, fmt.Errorf("backup: an answer this version does not understand: %q", line)
}
