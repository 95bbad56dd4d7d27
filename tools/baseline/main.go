// Command baseline is the yardstick of `make bench`: a minimal Fiber app
// rendering, with the product's template engine and its two passes (the
// page into a buffer, then the layout around it), a layout with a 50-row,
// 9-column table of Polish text (about 18 KB). A product page that costs
// no more than this costs no more than printing 50 rows.
package main

import (
	"bytes"
	"embed"
	"flag"
	"fmt"
	"html/template"
	"log"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
)

//go:embed templates/*.html
var files embed.FS

type row struct {
	Name, Unit, Title, Street, Room, Phone, Email, From, Note string
}

type page struct {
	Title   string
	Rows    []row
	Content template.HTML
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	flag.Parse()
	engine := html.NewFileSystem(http.FS(files), ".html")
	if err := engine.Load(); err != nil {
		log.Fatal(err)
	}
	rows := make([]row, 50)
	for i := range rows {
		rows[i] = row{Name: fmt.Sprintf("Żaneta Wiśniewska-Łęcka %d", i), Unit: "Zespół ds. Świadczeń Przyznawanych Decyzją",
			Title: "starszy pracownik socjalny", Street: "ul. Wyszyńskiego 135", Room: fmt.Sprint(i%40 + 1), Phone: "32 285 78 39",
			Email: "pracownik@mops.example", From: "01.09.2017", Note: "wejście od podwórka"}
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		p := &page{Title: "Pracownicy", Rows: rows}
		var buf bytes.Buffer
		if err := engine.Render(&buf, "templates/table", p); err != nil {
			return err
		}
		p.Content = template.HTML(buf.String())
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return engine.Render(c.Response().BodyWriter(), "templates/layout", p)
	})
	app.Get("/static.txt", func(c *fiber.Ctx) error { return c.SendString("ok") })
	log.Fatal(app.Listen(*addr))
}
