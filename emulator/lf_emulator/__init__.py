"""A local Laserfiche Repository API V2 emulator (an independent oracle for lf-export)."""
