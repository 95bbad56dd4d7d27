package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	_ "image/jpeg" // scans and logos are JPEG or PNG
	_ "image/png"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Files kept in the database beside the records they prove: scans of
// signed attendance lists, a project's logo strip, and issued documents
// (the exact bytes of a printed document, kept with who issued it and
// when). A file never changes once stored; a new upload is a new file.
//
//	files         id → File (what is known about it)
//	files.data    id → its bytes
//	files.owner   purpose|owner|id → nil (a record's files in order)

// FilePurpose says what a file is for.
type FilePurpose string

const (
	PurposeScan   FilePurpose = "scan"   // a signed attendance list; owner: a session
	PurposeLogo   FilePurpose = "logo"   // a project's logo strip; owner: a project
	PurposeIssued FilePurpose = "issued" // an issued document; owner: what it documents
)

// File is what is known about a stored file; its bytes are read apart.
type File struct {
	Meta
	Purpose FilePurpose `json:"purpose"`
	// Owner names the record the file belongs to: "session:5",
	// "project:1", "course:3", "publication:1:2".
	Owner string `json:"owner"`
	// Project is the project the owner belongs to (0: none): a settled
	// project's files are kept and take no new ones, except issued copies.
	Project uint64 `json:"project,omitempty"`
	Name    string `json:"name"` // shown and offered when downloading
	Type    string `json:"type"` // found from the content, never from the name
	Size    int    `json:"size"`
	SHA256  string `json:"sha256"`
	By      string `json:"by"`
}

// Bounds of stored files.
const (
	MaxScanBytes      = 8 << 20
	MaxScansOfSession = 5
	MaxLogoBytes      = 1 << 20
	MaxIssuedBytes    = 8 << 20
	MaxIssuedOfOwner  = 200
	maxFileNameLen    = 150
	maxImageSide      = 20_000
)

// Content types a file may have.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeHTML = "text/html; charset=utf-8"
)

var (
	kindFile         = kind{entity: "file", bucket: bucketFiles}
	bucketFiles      = []byte("files")
	bucketFileData   = []byte("files.data")
	bucketFilesOwner = []byte("files.owner")
)

// SessionOwner, ProjectOwner … name the owners of files.
func SessionOwner(id uint64) string { return "session:" + strconv.FormatUint(id, 10) }
func ProjectOwner(id uint64) string { return "project:" + strconv.FormatUint(id, 10) }
func CourseOwner(id uint64) string  { return "course:" + strconv.FormatUint(id, 10) }

// ContentType finds what a file is from its bytes, among the types
// allowed; a name's extension proves nothing. A PDF must begin with its
// header and end with its trailer (a cut-off upload is refused); an image
// must decode its header to a sane size. It answers a message ID when
// the content is not one of them.
func ContentType(data []byte, allowed ...string) (string, string) {
	kind := ""
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		tail := data[max(0, len(data)-1024):]
		if !bytes.Contains(tail, []byte("%%EOF")) {
			return "", "error.file_damaged"
		}
		kind = TypePDF
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}), bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return "", "error.file_damaged"
		}
		if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxImageSide || cfg.Height > maxImageSide {
			return "", "error.image_size"
		}
		kind = "image/" + format
	}
	for _, a := range allowed {
		if kind != "" && kind == a {
			return kind, ""
		}
	}
	return "", "error.file_type"
}

// cleanFileName keeps the last element of a name as typed or uploaded,
// bounded, without control characters or quotes, and with the extension
// of what the file really is.
func cleanFileName(name, contentType string) string {
	name = CleanText(strings.ReplaceAll(name, "\\", "/"))
	name = path.Base(strings.TrimSpace(name))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == '"' || r == '/' || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" {
		name = ""
	}
	ext := map[string]string{TypePDF: ".pdf", TypeJPEG: ".jpg", TypePNG: ".png", TypeHTML: ".html"}[contentType]
	// An extension is letters ("lista.PDF", "skan.jpeg"); the dots of a
	// date in a title ("12.01.2018") are not one.
	base := name
	if e := path.Ext(name); len(e) > 1 && strings.Trim(strings.ToLower(e[1:]), "abcdefghijklmnopqrstuvwxyz") == "" {
		base = strings.TrimSuffix(name, e)
	}
	if base == "" {
		base = "plik"
	}
	for utf8.RuneCountInString(base) > maxFileNameLen {
		_, size := utf8.DecodeLastRuneInString(base)
		base = base[:len(base)-size]
	}
	return base + ext
}

func ownerKey(p FilePurpose, owner string) []byte { return []byte(string(p) + "|" + owner + "|") }

// filesOf lists the files of an owner for a purpose, oldest first.
func filesOf(tx *bolt.Tx, p FilePurpose, owner string) ([]File, error) {
	var out []File
	prefix := ownerKey(p, owner)
	c := tx.Bucket(bucketFilesOwner).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		f, err := get[File](tx, kindFile, btoi(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		out = append(out, *f)
	}
	return out, nil
}

func countFiles(tx *bolt.Tx, p FilePurpose, owner string) int {
	n := 0
	prefix := ownerKey(p, owner)
	c := tx.Bucket(bucketFilesOwner).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// putFile stores a new file with its bytes and index entry, audited.
func (s *Store) putFile(tx *bolt.Tx, a Actor, f *File, data []byte) error {
	if err := s.storeFile(tx, a, f, data); err != nil {
		return err
	}
	return s.audit(tx, a, kindFile.entity, f.ID, ActionCreate, Diff(nil, f))
}

// storeFile stores a new file without an audit entry of its own: the
// generator's scans go into the entry of their list of marks.
func (s *Store) storeFile(tx *bolt.Tx, a Actor, f *File, data []byte) error {
	b := tx.Bucket(bucketFiles)
	id, err := nextID(b)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	now := s.now().UTC()
	f.ID, f.Version, f.Created, f.Updated = id, 1, now, now
	f.Size, f.SHA256, f.By = len(data), hex.EncodeToString(sum[:]), a.Login
	if err := putJSON(b, itob(id), f); err != nil {
		return err
	}
	if err := tx.Bucket(bucketFileData).Put(itob(id), data); err != nil {
		return err
	}
	return tx.Bucket(bucketFilesOwner).Put(append(ownerKey(f.Purpose, f.Owner), itob(id)...), nil)
}

// dropFile removes a file, its bytes and its index entry, audited.
func (s *Store) dropFile(tx *bolt.Tx, a Actor, f *File, version int) error {
	if err := remove[File](s, tx, a, kindFile, f.ID, version); err != nil {
		return err
	}
	if err := tx.Bucket(bucketFileData).Delete(itob(f.ID)); err != nil {
		return err
	}
	return tx.Bucket(bucketFilesOwner).Delete(append(ownerKey(f.Purpose, f.Owner), itob(f.ID)...))
}

// FileOf returns what is known about a file.
func (s *Store) FileOf(id uint64) (*File, error) { return one[File](s, kindFile, id) }

// FileData returns a file with a copy of its bytes.
func (s *Store) FileData(id uint64) (*File, []byte, error) {
	var f *File
	var data []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		if f, err = get[File](tx, kindFile, id); err != nil {
			return err
		}
		data = bytes.Clone(tx.Bucket(bucketFileData).Get(itob(id)))
		return nil
	})
	return f, data, err
}

// Files lists an owner's files for a purpose, oldest first.
func (s *Store) Files(p FilePurpose, owner string) ([]File, error) {
	var out []File
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = filesOf(tx, p, owner)
		return err
	})
	return out, err
}

// FilesOfAll lists the files of several owners for a purpose, in one
// read (the evidence pack's scans of every session of a course).
func (s *Store) FilesOfAll(p FilePurpose, owners []string) (map[string][]File, error) {
	out := make(map[string][]File, len(owners))
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, o := range owners {
			list, err := filesOf(tx, p, o)
			if err != nil {
				return err
			}
			if len(list) > 0 {
				out[o] = list
			}
		}
		return nil
	})
	return out, err
}

// ScanCounts says how many scans each of the sessions has.
func (s *Store) ScanCounts(sessions []Session) (map[uint64]int, error) {
	out := make(map[uint64]int, len(sessions))
	err := s.db.View(func(tx *bolt.Tx) error {
		for i := range sessions {
			if n := countFiles(tx, PurposeScan, SessionOwner(sessions[i].ID)); n > 0 {
				out[sessions[i].ID] = n
			}
		}
		return nil
	})
	return out, err
}

// sessionProject reads a session and the project of its course, and
// refuses a change to a settled project's (or, deleting, a closed one's).
func sessionProject(tx *bolt.Tx, session uint64, deleting bool) (*Session, uint64, error) {
	ss, err := get[Session](tx, kindSession, session)
	if err != nil {
		return nil, 0, err
	}
	c, err := get[Course](tx, kindCourse, ss.CourseID)
	if err != nil || c.ProjectID == 0 {
		return ss, 0, nil
	}
	_, err = openProject(tx, c.ProjectID, deleting)
	return ss, c.ProjectID, err
}

// AttachScan keeps the scan of a session's signed attendance list. The
// session must have taken place and not be cancelled.
func (s *Store) AttachScan(a Actor, session uint64, name string, data []byte) (*File, error) {
	if len(data) > MaxScanBytes {
		return nil, Errorf(EInvalid, WithMax("error.file_too_big", MaxScanBytes>>20))
	}
	ctype, problem := ContentType(data, TypePDF, TypeJPEG, TypePNG)
	if problem != "" {
		return nil, Errorf(EInvalid, problem)
	}
	f := &File{Purpose: PurposeScan, Owner: SessionOwner(session), Name: cleanFileName(name, ctype), Type: ctype}
	err := s.updateSchedule(func(tx *bolt.Tx) error {
		ss, project, err := sessionProject(tx, session, false)
		if err != nil {
			return err
		}
		switch {
		case ss.Status == SessionCancelled:
			return Errorf(EConflict, "error.session_cancelled")
		case ss.Date.After(s.Today()):
			return Errorf(EConflict, "error.scan_before_session")
		case countFiles(tx, PurposeScan, f.Owner) >= MaxScansOfSession:
			return Errorf(EConflict, WithMax("error.too_many", MaxScansOfSession))
		}
		f.Project = project
		return s.putFile(tx, a, f, data)
	})
	return f, err
}

// RemoveScan takes away a scan attached by mistake; a closed project's
// scans are kept.
func (s *Store) RemoveScan(a Actor, id uint64, version int) error {
	return s.updateSchedule(func(tx *bolt.Tx) error {
		f, err := get[File](tx, kindFile, id)
		if err != nil || f.Purpose != PurposeScan {
			return Errorf(ENotFound, "error.not_found")
		}
		session, _ := strconv.ParseUint(strings.TrimPrefix(f.Owner, "session:"), 10, 64)
		if _, _, err := sessionProject(tx, session, true); err != nil && ErrorCode(err) != ENotFound {
			return err
		}
		return s.dropFile(tx, a, f, version)
	})
}

// SetLogo keeps a project's logo strip (the programme's logos in one
// image), replacing the one before.
func (s *Store) SetLogo(a Actor, project uint64, name string, data []byte) (*File, error) {
	if len(data) > MaxLogoBytes {
		return nil, Errorf(EInvalid, WithMax("error.file_too_big", MaxLogoBytes>>20))
	}
	ctype, problem := ContentType(data, TypePNG, TypeJPEG)
	if problem != "" {
		return nil, Errorf(EInvalid, problem)
	}
	f := &File{Purpose: PurposeLogo, Owner: ProjectOwner(project), Project: project, Name: cleanFileName(name, ctype), Type: ctype}
	err := s.updateSchedule(func(tx *bolt.Tx) error {
		if _, err := openProject(tx, project, false); err != nil {
			return err
		}
		old, err := filesOf(tx, PurposeLogo, f.Owner)
		if err != nil {
			return err
		}
		for i := range old {
			if err := s.dropFile(tx, a, &old[i], old[i].Version); err != nil {
				return err
			}
		}
		return s.putFile(tx, a, f, data)
	})
	return f, err
}

// RemoveLogo takes a project's logo strip away: the one the person saw
// (file) at the version they confirmed. A logo replaced or removed since
// is a conflict, so that no one removes a logo they have not seen.
func (s *Store) RemoveLogo(a Actor, project, file uint64, version int) error {
	return s.updateSchedule(func(tx *bolt.Tx) error {
		if _, err := openProject(tx, project, false); err != nil {
			return err
		}
		logos, err := filesOf(tx, PurposeLogo, ProjectOwner(project))
		if err != nil {
			return err
		}
		if len(logos) == 0 {
			return ErrNotFound
		}
		current := &logos[len(logos)-1]
		if current.ID != file || current.Version != version {
			return &ConflictError{Entity: kindFile.entity, ID: current.ID, Current: current}
		}
		for i := range logos {
			if err := s.dropFile(tx, a, &logos[i], logos[i].Version); err != nil {
				return err
			}
		}
		return nil
	})
}

// LogoFile is what is known about a project's logo strip (nil: none),
// without its bytes.
func (s *Store) LogoFile(project uint64) (*File, error) {
	var f *File
	err := s.db.View(func(tx *bolt.Tx) error {
		list, err := filesOf(tx, PurposeLogo, ProjectOwner(project))
		if err == nil && len(list) > 0 {
			f = &list[len(list)-1]
		}
		return err
	})
	return f, err
}

// Logo returns a project's logo strip, if it has one.
func (s *Store) Logo(project uint64) (*File, []byte, error) {
	var f *File
	var data []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		list, err := filesOf(tx, PurposeLogo, ProjectOwner(project))
		if err != nil || len(list) == 0 {
			return err
		}
		f = &list[len(list)-1]
		data = bytes.Clone(tx.Bucket(bucketFileData).Get(itob(f.ID)))
		return nil
	})
	return f, data, err
}

// Issue keeps the exact bytes of a printed document with its date and
// author. A settled project's documents may still be issued: issuing
// changes nothing of the project, and a controller asks for copies after
// settlement too. Issued documents are never removed.
func (s *Store) Issue(a Actor, owner string, project uint64, title string, html []byte) (*File, error) {
	if len(html) > MaxIssuedBytes {
		return nil, Errorf(EInvalid, WithMax("error.file_too_big", MaxIssuedBytes>>20))
	}
	f := &File{Purpose: PurposeIssued, Owner: owner, Project: project, Name: cleanFileName(title, TypeHTML), Type: TypeHTML}
	err := s.updateSchedule(func(tx *bolt.Tx) error {
		if countFiles(tx, PurposeIssued, owner) >= MaxIssuedOfOwner {
			return Errorf(EConflict, WithMax("error.too_many", MaxIssuedOfOwner))
		}
		return s.putFile(tx, a, f, html)
	})
	return f, err
}

// checkFiles reports files whose bytes are missing or differ from the
// checksum taken when they were stored, and index entries of no file.
func checkFiles(tx *bolt.Tx, add func(string, ...any)) error {
	data := tx.Bucket(bucketFileData)
	err := tx.Bucket(bucketFiles).ForEach(func(k, v []byte) error {
		var f File
		if err := json.Unmarshal(v, &f); err != nil {
			add("file %d: %v", btoi(k), err)
			return nil
		}
		body := data.Get(k)
		sum := sha256.Sum256(body)
		switch {
		case body == nil:
			add("file %d: its bytes are missing", f.ID)
		case hex.EncodeToString(sum[:]) != f.SHA256 || len(body) != f.Size:
			add("file %d: its bytes differ from the checksum taken when it was stored", f.ID)
		case tx.Bucket(bucketFilesOwner).Get(append(ownerKey(f.Purpose, f.Owner), k...)) == nil:
			add("file %d: missing from the index of its owner", f.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketFilesOwner).ForEach(func(k, _ []byte) error {
		if len(k) < 8 || tx.Bucket(bucketFiles).Get(k[len(k)-8:]) == nil {
			add("file index entry %q names no file", k)
		}
		return nil
	})
}
