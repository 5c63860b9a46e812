package intake

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestMACsComparedInConstantTime reads the intake's code (this package and
// every package under it) and fails on an == or != one side of which is a
// MAC or signature: such a comparison stops at the first byte that
// differs, and so tells an attacker, by its time, how much of a forged
// signature is right. Every check goes through hmac.Equal.
func TestMACsComparedInConstantTime(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			b, ok := n.(*ast.BinaryExpr)
			if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
				return true
			}
			for _, side := range []ast.Expr{b.X, b.Y} {
				if what := secretOperand(side); what != "" {
					t.Errorf("%s: %s compared with %s: use hmac.Equal", fset.Position(b.OpPos), what, b.Op)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// secretOperand names e when it is a MAC or a signature: a call of a
// function whose name says it makes one (mac, sign, Sum…), or a value read
// from a "sig" or "mac" parameter; else "".
func secretOperand(e ast.Expr) string {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return ""
	}
	name := ""
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		name = fn.Name
	case *ast.SelectorExpr:
		name = fn.Sel.Name
	}
	lower := strings.ToLower(name)
	if strings.Contains(lower, "mac") || strings.HasPrefix(lower, "sign") || lower == "sum" {
		return "the result of " + name
	}
	if lower == "get" && len(call.Args) == 1 {
		if lit, ok := call.Args[0].(*ast.BasicLit); ok {
			arg := strings.ToLower(strings.Trim(lit.Value, "\"`"))
			if arg == "sig" || arg == "mac" || arg == "signature" {
				return "the " + lit.Value + " parameter"
			}
		}
	}
	return ""
}
