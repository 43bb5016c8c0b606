foo2.go
