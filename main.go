// Command intranet serves the intranet of a municipal social-welfare centre.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"intranet/handlers"
	"intranet/store"
)

// version is set at build time (see Makefile).
var version = "dev"

const usage = `intranet — the intranet of a social-welfare centre

Usage:
  intranet [serve] [flags]      run the web server (default)
  intranet user add -login L -name "N" -role R[,R…]
  intranet user passwd -login L
  intranet user reactivate -login L -reason "why" [-expires YYYY-MM-DD]
  intranet user list
  intranet backup -db PATH -out FILE
  intranet restore -db PATH -from COPY
  intranet gen -db PATH -scale N [-seed S]
  intranet check -db PATH
  intranet version

Run "intranet <command> -h" for the flags of a command.
Roles: admin, coordinator, trainer, monitoring, staff; an account may hold
several (-role coordinator,trainer).
`

func main() {
	err := run(os.Args[1:], os.Stdin, os.Stdout)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp): // -h printed the flags
	default:
		fmt.Fprintln(os.Stderr, "intranet:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args)
	case "user":
		return userCmd(args, stdin, stdout)
	case "backup":
		return backupCmd(args, stdout)
	case "restore":
		return restoreCmd(args, stdout)
	case "gen":
		return genCmd(args, stdout)
	case "check":
		return checkCmd(args, stdout)
	case "version":
		fmt.Fprintf(stdout, "intranet %s (schema %d, %s)\n", version, store.SchemaVersion(), runtime.Version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("INTRANET_DB", filepath.Join("data", "intranet.db")), "database file (env INTRANET_DB)")
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", env("INTRANET_ADDR", "127.0.0.1:8080"), "listen address (env INTRANET_ADDR)")
	db := dbFlag(fs)
	demo := fs.Bool("demo", false, "fill an empty database with the demo centre")
	secure := fs.Bool("secure-cookies", env("INTRANET_SECURE_COOKIES", "") == "1", "mark cookies Secure: set when users reach the server over HTTPS (env INTRANET_SECURE_COOKIES=1)")
	proxies := fs.String("trusted-proxies", env("INTRANET_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-* headers are trusted (env INTRANET_TRUSTED_PROXIES)")
	defaultHashMiB, err := strconv.ParseInt(env("INTRANET_HASH_MEMORY", strconv.FormatInt(store.DefaultHashMemory>>20, 10)), 10, 64)
	if err != nil {
		return fmt.Errorf("INTRANET_HASH_MEMORY: %w", err)
	}
	hashMiB := fs.Int64("hash-memory", defaultHashMiB, "MiB of memory for password hashing; each sign-in takes 64 MiB, so the default lets two run at once (env INTRANET_HASH_MEMORY)")
	backupDir := fs.String("backup-dir", env("INTRANET_BACKUP_DIR", ""), "directory of the scheduled backups (default: backups beside the database) (env INTRANET_BACKUP_DIR)")
	backupAt := fs.String("backup-at", env("INTRANET_BACKUP_AT", "02:30"), "time of day of the daily backup, HH:MM Warsaw time (env INTRANET_BACKUP_AT)")
	defaultEvery, err := time.ParseDuration(env("INTRANET_BACKUP_EVERY", "0s"))
	if err != nil {
		return fmt.Errorf("INTRANET_BACKUP_EVERY: %w", err)
	}
	backupEvery := fs.Duration("backup-every", defaultEvery, "take a backup this often (e.g. 6h) instead of daily at -backup-at (env INTRANET_BACKUP_EVERY)")
	defaultKeep, err := strconv.Atoi(env("INTRANET_BACKUP_KEEP", "14"))
	if err != nil {
		return fmt.Errorf("INTRANET_BACKUP_KEEP: %w", err)
	}
	backupKeep := fs.Int("backup-keep", defaultKeep, "how many good backups to keep (env INTRANET_BACKUP_KEEP)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *hashMiB < 1 || *hashMiB > 1<<20 {
		return fmt.Errorf("-hash-memory: %d MiB is not between 1 and %d", *hashMiB, 1<<20)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	st, err := store.Open(*db, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	hasher := store.NewHasher(store.PasswordParams, *hashMiB<<20)
	hashMemory, hashes := hasher.Budget()
	// Bounding the hashes running at once does not bound the heap: the
	// collector lets garbage from finished hashes grow to about the live heap
	// again before it runs. An operator's GOMEMLIMIT wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(store.MemoryLimitFor(hashMemory))
	}
	// The live heap is small (the structure snapshot and kept pages), so
	// collecting at half of it again instead of all of it costs little CPU
	// and keeps the server's footprint well under 100 MB at ten times a
	// large centre (measured with make bench). An operator's GOGC wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	log.Info("password hashing", "memory_mib", hashMemory>>20, "at_once", hashes, "go_memory_limit_mib", debug.SetMemoryLimit(-1)>>20)
	if *demo {
		seeded, err := st.SeedDemo(context.Background(), hasher)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if seeded {
			log.Info("demo centre created; demo accounts use the password \"demo\"")
		}
	}
	if st.UserCount() == 0 {
		log.Warn("no accounts yet: create an administrator with `intranet user add -role admin`, or start with -demo")
	}
	if *backupDir == "" {
		*backupDir = filepath.Join(filepath.Dir(*db), "backups")
	}
	backups, err := store.NewBackups(st, store.BackupPlan{Dir: *backupDir, Keep: *backupKeep, At: *backupAt, Every: *backupEvery, Log: log})
	if err != nil {
		return err
	}
	cfg := handlers.Config{Version: version, SecureCookies: *secure, Hasher: hasher, Log: log, Backups: backups}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	app, err := handlers.New(st, cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go sweepSessions(ctx, st, log)
	// The backup goroutines end, a copy in progress finished, before the
	// database closes (deferred above, so run after this).
	bgCtx, stopBackups := context.WithCancel(ctx)
	var bg sync.WaitGroup
	defer func() { stopBackups(); bg.Wait() }()
	bg.Add(2)
	go func() { defer bg.Done(); backups.Run(bgCtx) }()
	go func() {
		defer bg.Done()
		if err := backups.Serve(bgCtx, store.SocketPath(*db)); err != nil {
			log.Error("`intranet backup` cannot reach this server", "err", err)
		}
	}()
	log.Info("backups", "dir", *backupDir, "schedule", backups.Schedule(), "keep", *backupKeep, "next", backups.State().Next.Format(time.RFC3339))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	log.Info("intranet listening", "url", "http://"+ln.Addr().String()+"/", "db", *db, "version", version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		log.Error("shutdown", "err", err)
	}
	return nil
}

// sweepSessions removes expired sessions every few minutes.
func sweepSessions(ctx context.Context, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := st.SweepSessions(); err != nil {
				log.Error("session sweep", "err", err)
			} else if n > 0 {
				log.Info("expired sessions removed", "count", n)
			}
		}
	}
}

func userCmd(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, "Usage:\n  intranet user add -login L -name \"N\" -role R[,R…]\n  intranet user passwd -login L\n"+
			"  intranet user reactivate -login L -reason \"why\" [-expires YYYY-MM-DD]\n  intranet user list\n")
		if len(args) == 0 {
			return errors.New("user: say add, passwd, reactivate or list")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	db := dbFlag(fs)
	var login, name, role, reason, expires *string
	switch sub {
	case "add":
		login = fs.String("login", "", "login (lower case)")
		name = fs.String("name", "", "full name")
		role = fs.String("role", "staff", "roles, comma-separated: admin, coordinator, trainer, monitoring, staff")
	case "passwd":
		login = fs.String("login", "", "login of the account")
	case "reactivate":
		// The way back in when the only administrator's account has ended.
		login = fs.String("login", "", "login of the ended account")
		reason = fs.String("reason", "", "why it works again (kept in the audit log)")
		expires = fs.String("expires", "", "its new last day, YYYY-MM-DD (none when empty)")
	case "list":
	default:
		return fmt.Errorf("user: unknown sub-command %q", sub)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := store.Open(*db, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	hasher := store.NewHasher(store.PasswordParams, store.DefaultHashMemory)
	switch sub {
	case "list":
		users, err := st.UsersOn(st.Today())
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "LOGIN\tNAME\tROLES\tSTATE")
		for _, u := range users {
			state := string(u.State.Status)
			if !u.State.On.IsZero() {
				state += " " + u.State.On.Format(time.DateOnly)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Login, u.Name, roleList(u.Roles), state)
		}
		return w.Flush()
	case "reactivate":
		u, err := st.UserByLogin(*login)
		if err != nil {
			return fmt.Errorf("no account with login %q", *login)
		}
		var last time.Time
		if *expires != "" {
			if last, err = time.Parse(time.DateOnly, *expires); err != nil {
				return fmt.Errorf("-expires: want YYYY-MM-DD, got %q", *expires)
			}
		}
		if _, err := st.ReactivateUser(store.System, u.ID, 0, *reason, last); err != nil {
			if errors.Is(err, store.ErrAccountNotEnded) {
				return fmt.Errorf("the account %s works; there is nothing to reactivate", u.Login)
			}
			return explain(err)
		}
		fmt.Fprintf(stdout, "reactivated %s\n", u.Login)
		return nil
	case "add":
		r, ok := store.ParseRoles(*role)
		if !ok || len(r) == 0 {
			return fmt.Errorf("unknown role in %q", *role)
		}
		hash, err := newPasswordHash(hasher, stdin, stdout)
		if err != nil {
			return err
		}
		u := store.User{Login: *login, Name: *name, Roles: r, Active: true, PasswordHash: hash}
		if err := st.CreateUser(store.System, &u); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", u.Login, roleList(u.Roles))
		return nil
	default: // passwd
		u, err := st.UserByLogin(*login)
		if err != nil {
			return fmt.Errorf("no account with login %q", *login)
		}
		hash, err := newPasswordHash(hasher, stdin, stdout)
		if err != nil {
			return err
		}
		if _, err := st.UpdateUser(store.System, u.ID, 0, store.ActionPassword, func(x *store.User) error {
			x.PasswordHash = hash
			return nil
		}); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "password changed for %s; their sessions have ended\n", u.Login)
		return nil
	}
}

// roleList is a set of roles as the -role flag takes it.
func roleList(rs []store.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

// explain turns validation message IDs into words for the terminal.
func explain(err error) error {
	var v *store.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	var parts []string
	for field, msg := range v.Fields {
		parts = append(parts, field+": "+strings.TrimPrefix(msg, "error."))
	}
	return fmt.Errorf("invalid %s", strings.Join(parts, ", "))
}

// newPasswordHash reads a new password and hashes it.
func newPasswordHash(h *store.Hasher, stdin io.Reader, stdout io.Writer) (string, error) {
	pw, err := readPassword(stdin, stdout)
	if err != nil {
		return "", err
	}
	return h.Hash(context.Background(), pw)
}

// readPassword asks twice on a terminal, or reads one line from a pipe.
func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	var pw string
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stdout, "Repeat password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		pw = string(a)
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if msg := store.ValidatePassword(pw); msg != "" {
		return "", errors.New(strings.ReplaceAll(strings.TrimPrefix(msg, "error."), "_", " "))
	}
	return pw, nil
}

// backupCmd writes a verified copy of the database: itself when no server
// runs, or through the running server's backup channel.
func backupCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	db := dbFlag(fs)
	out := fs.String("out", "", "new file to write the backup to (an existing file is not replaced)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup: -out FILE is required")
	}
	// The server resolves the path, not this command: it runs elsewhere.
	path, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	st, err := store.Open(*db, store.Options{ReadOnly: true})
	if errors.Is(err, store.ErrLocked) {
		sock := store.SocketPath(*db)
		if _, err := store.RequestBackup(sock, path); err != nil {
			if errors.Is(err, store.ErrNoBackupChannel) {
				return fmt.Errorf("the server is running (the database is in use) but its backup channel is unavailable: %w\n"+
					"see the server's log; meanwhile an administrator downloads a backup from Administration → Backup", err)
			}
			return err
		}
		info, err := store.VerifyCopy(path)
		if err != nil {
			return fmt.Errorf("the server wrote %s, but it does not verify here: %w", path, err)
		}
		fmt.Fprintf(stdout, "backup written to %s by the running server (%d bytes)\n", path, info.Size)
		printCopy(stdout, info)
		return nil
	}
	if err != nil {
		return err
	}
	defer st.Close()
	info, err := st.WriteCopy(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s (%d bytes)\n", path, info.Size)
	printCopy(stdout, info)
	return nil
}

// printCopy prints what VerifyCopy found.
func printCopy(w io.Writer, info store.CopyInfo) {
	fmt.Fprintf(w, "verified: consistent, schema %d (this binary: %d)\n", info.Schema, store.SchemaVersion())
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	for _, c := range info.Counts {
		fmt.Fprintf(tw, "  %d\t  %s\n", c.N, c.Name)
	}
	tw.Flush()
}

// restoreCmd replaces the database of a stopped server with a copy.
func restoreCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	db := dbFlag(fs)
	from := fs.String("from", "", "the backup copy to restore")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("restore: -from COPY is required")
	}
	r, err := store.Restore(*db, *from)
	if r.KeptAside != "" {
		fmt.Fprintf(stdout, "the database that was replaced is kept as %s\n", r.KeptAside)
	}
	if err != nil {
		return err
	}
	if r.Replaced != "" {
		fmt.Fprintf(stdout, "the replaced database did not open: %s\n", r.Replaced)
	}
	if r.KeptAside == "" {
		fmt.Fprintf(stdout, "there was no database at %s: nothing kept aside\n", *db)
	}
	fmt.Fprintf(stdout, "restored %s (%d bytes, taken %s) to %s\n", *from, r.Copy.Size, r.Copy.Taken.Format(time.RFC3339), *db)
	printCopy(stdout, r.Copy)
	if r.Schema != r.Copy.Schema {
		fmt.Fprintf(stdout, "migrated from schema %d to %d\n", r.Copy.Schema, r.Schema)
	}
	fmt.Fprintln(stdout, "everyone signs in again: a backup holds no sessions")
	return nil
}

// genCmd fills a new database with a synthetic centre for load tests.
func genCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	db := fs.String("db", "", "new database file to fill")
	scale := fs.Int("scale", 1, "1 is a large real centre (150 staff, 40 units, 10 locations, 5,000 audit entries); N is N times that")
	seed := fs.Uint64("seed", 1, "the same seed gives the same centre")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		return errors.New("gen: -db PATH is required")
	}
	if *scale < 1 || *scale > 100 {
		return fmt.Errorf("gen: -scale %d is not between 1 and 100", *scale)
	}
	// A clock that ticks once per call: the same seed gives the same file
	// contents, timestamps included.
	var tick atomic.Int64
	base := time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)
	st, err := store.Open(*db, store.Options{Now: func() time.Time { return base.Add(time.Duration(tick.Add(1)) * time.Millisecond) }})
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	stats, err := st.Generate(context.Background(), store.NewHasher(store.PasswordParams, store.DefaultHashMemory),
		store.GenOptions{Scale: *scale, Seed: *seed})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated scale %d in %s: %d locations, %d units, %d people, %d accounts (password %q), %d announcements, "+
		"%d projects with %d milestones (%d re-plans) and %d indicators (%d readings), %d courses with %d trainers, %d sessions and %d attendance marks (%d lists confirmed, %d scans), %d logo strips, %d issued documents, %d monitoring notes, %d checklists with %d results, %d audit entries\n",
		*scale, time.Since(start).Round(time.Millisecond), stats.Locations, stats.Units, stats.Staff, stats.Users, store.DemoPassword,
		stats.Announcements, stats.Projects, stats.Milestones, stats.Replans, stats.Indicators, stats.Measurements,
		stats.Courses, stats.Trainers, stats.Sessions, stats.Marks, stats.Confirmed, stats.Scans, stats.Logos, stats.Issued, stats.Notes,
		stats.Checklists, stats.ChecklistResults, stats.AuditEntries)
	return nil
}

// checkCmd verifies a database file (the live one of a stopped server, or
// a backup copy) and reads every record for inconsistencies.
func checkCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	info, err := store.VerifyCopy(*db)
	if err != nil {
		return err
	}
	printCopy(stdout, info)
	st, err := store.Open(*db, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	problems, err := st.Check()
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problems found in %s", len(problems), *db)
	}
	fmt.Fprintf(stdout, "%s: consistent (schema %d)\n", *db, st.Schema())
	return nil
}
