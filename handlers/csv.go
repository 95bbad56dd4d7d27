package handlers

import (
	"bytes"
	"io"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// sendCSV answers with a CSV download named after the day.
func (s *Server) sendCSV(c *fiber.Ctx, name string, write func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+"-"+s.st.Today().Format("2006-01-02")+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

func (s *Server) staffCSV(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	return s.sendCSV(c, "pracownicy", func(w io.Writer) error {
		return store.WriteStaffCSV(w, d, s.st.Today())
	})
}

// assignmentsCSV is every assignment of every person: the history that the
// staff file, one row per person, leaves out.
func (s *Server) assignmentsCSV(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	return s.sendCSV(c, "przydzialy", func(w io.Writer) error { return store.WriteAssignmentsCSV(w, d) })
}

func (s *Server) unitsCSV(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	return s.sendCSV(c, "struktura", func(w io.Writer) error { return store.WriteUnitsCSV(w, d.Units, d.People, d.Locations) })
}

func (s *Server) locationsCSV(c *fiber.Ctx) error {
	locs, err := s.st.Locations()
	if err != nil {
		return err
	}
	return s.sendCSV(c, "lokalizacje", func(w io.Writer) error { return store.WriteLocationsCSV(w, locs) })
}

type importView struct {
	Rows    []importRow
	Bad     int
	CSV     string // the file, carried from the preview to the confirmation
	Problem string // message ID for a file that cannot be read at all
	Columns []string
}

type importRow struct {
	store.ImportRow
	Unit, Location, Category string
}

const maxImportBytes = 2 << 20

// readUpload reads an import's file: uploaded, or carried from its preview
// in the csv field. problem is a message ID for a file too big or empty.
func readUpload(c *fiber.Ctx) (data []byte, problem string, err error) {
	if fh, err := c.FormFile("file"); err == nil {
		if fh.Size > maxImportBytes {
			return nil, "import.error_size", nil
		}
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, maxImportBytes)); err != nil {
			return nil, "", err
		}
	} else if data = []byte(formValue(c, "csv")); len(data) > maxImportBytes {
		return nil, "import.error_size", nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "import.error_empty", nil
	}
	return data, "", nil
}

func (s *Server) importPage(c *fiber.Ctx) error {
	return s.page(c, fiber.StatusOK, "import", "import.title", importView{Columns: store.StaffColumns}, nil)
}

// importStaff previews an uploaded file row by row; a second post with
// confirm=1 imports it, all rows or none.
func (s *Server) importStaff(c *fiber.Ctx) error {
	v := importView{Columns: store.StaffColumns}
	data, problem, err := readUpload(c)
	if err != nil {
		return err
	}
	if problem != "" {
		v.Problem = problem
		return s.page(c, fiber.StatusUnprocessableEntity, "import", "import.title", v, nil)
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	rows, err := store.ParseStaffCSV(bytes.NewReader(data), d, today)
	if err != nil {
		if store.ErrorCode(err) != store.EInvalid {
			return err
		}
		v.Problem = domainMessage(err)
		return s.page(c, fiber.StatusUnprocessableEntity, "import", "import.title", v, nil)
	}
	v.CSV = string(data)
	for _, r := range rows {
		a := r.Person.Assignments[0]
		ir := importRow{ImportRow: r, Unit: d.UnitName(a.UnitID, today), Category: d.CategoryName(a.CategoryID)}
		if l := d.LocationByID[r.Person.LocationID]; l != nil {
			ir.Location = l.Name
		}
		if len(r.Errors) > 0 {
			v.Bad++
		}
		v.Rows = append(v.Rows, ir)
	}
	if v.Bad > 0 || formValue(c, "confirm") == "" {
		status := fiber.StatusOK
		if v.Bad > 0 {
			status = fiber.StatusUnprocessableEntity
		}
		return s.page(c, status, "import", "import.title", v, nil)
	}
	people := make([]store.Staff, len(rows))
	for i, r := range rows {
		people[i] = r.Person
	}
	if failed, err := s.st.ImportPeople(s.actor(c), people); err != nil {
		if failed >= 0 && mergeFields(v.Rows[failed].Errors, err) {
			v.Bad = 1
			return s.page(c, fiber.StatusUnprocessableEntity, "import", "import.title", v, nil)
		}
		return err
	}
	return redirect(c, withOK("/staff", "imported"))
}

// columnError is the message for one cell of the preview, for templates.
func (r importRow) ColumnError(col string) string { return r.Errors[col] }
