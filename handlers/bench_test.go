package handlers

import (
	"net/http/httptest"
	"testing"
)

func benchPage(b *testing.B, path string, header map[string]string) {
	ta := newTestApp(b)
	c := ta.loggedIn(b, "admin")
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		for k, v := range c.cookies {
			req.Header.Add("Cookie", k+"="+v)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := ta.app.Test(req, -1)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%s: %v %v", path, resp.StatusCode, err)
		}
		resp.Body.Close()
	}
}

// Signed-in pages: session read, user read, template render.
func BenchmarkHomePage(b *testing.B)     { benchPage(b, "/", nil) }
func BenchmarkHomeFragment(b *testing.B) { benchPage(b, "/", map[string]string{"HX-Request": "true"}) }
func BenchmarkUserListPage(b *testing.B) { benchPage(b, "/admin/users", nil) }
func BenchmarkAuditLogPage(b *testing.B) { benchPage(b, "/admin/audit", nil) }

// The structure and directory read every unit and person of the demo centre.
func BenchmarkOrgTree(b *testing.B) { benchPage(b, "/org?date=2017-09-01", nil) }
func BenchmarkStaffSearch(b *testing.B) {
	benchPage(b, "/staff?q=socjal", map[string]string{"HX-Request": "true"})
}
func BenchmarkPhoneList(b *testing.B) { benchPage(b, "/staff/phones", nil) }

// A person with a history, a unit with its people and counts, the list of
// job categories.
func BenchmarkPersonPage(b *testing.B)     { benchPage(b, "/staff/35", nil) }
func BenchmarkUnitPage(b *testing.B)       { benchPage(b, "/org/units/3", nil) }
func BenchmarkCategoriesPage(b *testing.B) { benchPage(b, "/admin/categories", nil) }

// A session with its attendance form, and a course with its hours.
func BenchmarkSessionPage(b *testing.B) { benchPage(b, "/schedule/sessions/30", nil) }
func BenchmarkCoursePage(b *testing.B)  { benchPage(b, "/schedule/courses/1", nil) }
