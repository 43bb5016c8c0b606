foo.go
