bar.go
