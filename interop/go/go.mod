module lfflow

go 1.19

require github.com/lf-export/interop/lfrepo v0.0.0

// The generated client, written next to this file by tools/spec_interop.sh.
replace github.com/lf-export/interop/lfrepo => ./lfrepo
