package store

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
)

// Files of the demo and the generator: a logo strip drawn in the colours
// of the funds' logos, and scans as small one-page PDFs (a real scan is
// an image; a text page is enough to show and to check).

// DemoLogo draws a logo strip: the programme's block, the national flag
// and the Union's flag with its circle of twelve stars.
func DemoLogo() []byte {
	const w, h = 900, 120
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	fill := func(r image.Rectangle, c color.Color) {
		draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
	}
	navy := color.RGBA{0, 51, 153, 255}
	gold := color.RGBA{255, 204, 0, 255}
	fill(image.Rect(20, 20, 230, 100), color.RGBA{0, 70, 140, 255}) // the programme
	fill(image.Rect(40, 45, 210, 55), color.White)
	fill(image.Rect(40, 65, 170, 75), color.White)
	fill(image.Rect(340, 30, 460, 60), color.White) // the national flag, outlined
	fill(image.Rect(340, 60, 460, 90), color.RGBA{220, 20, 60, 255})
	for _, r := range []image.Rectangle{image.Rect(339, 29, 461, 30), image.Rect(339, 90, 461, 91), image.Rect(339, 29, 340, 91), image.Rect(460, 29, 461, 91)} {
		fill(r, color.RGBA{150, 150, 150, 255})
	}
	fill(image.Rect(580, 20, 700, 100), navy) // the Union's flag
	for i := range 12 {
		a := float64(i) * math.Pi / 6
		x, y := 640+int(28*math.Cos(a)), 60+int(28*math.Sin(a))
		fill(image.Rect(x-3, y-3, x+4, y+4), gold)
	}
	fill(image.Rect(720, 45, 880, 55), navy) // the fund's name
	fill(image.Rect(720, 65, 840, 75), navy)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory image does not fail
	}
	return buf.Bytes()
}

// DemoScanPDF is a one-page PDF whose lines say what it stands for.
func DemoScanPDF(lines ...string) []byte {
	var text strings.Builder
	text.WriteString("BT /F1 12 Tf 56 780 Td 16 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&text, "(%s) '\n", pdfText(l))
	}
	text.WriteString("ET\n")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", text.Len(), text.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// pdfText keeps a line to what the standard font shows: Polish letters
// lose their marks, and the string's delimiters are escaped.
func pdfText(s string) string {
	s = strings.NewReplacer("ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n", "ó", "o", "ś", "s", "ź", "z", "ż", "z",
		"Ą", "A", "Ć", "C", "Ę", "E", "Ł", "L", "Ń", "N", "Ó", "O", "Ś", "S", "Ź", "Z", "Ż", "Z").Replace(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
