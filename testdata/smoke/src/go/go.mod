module wasmlint.example/smoke/filter

go 1.26
