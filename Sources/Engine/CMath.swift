// The C math library, without pulling in Foundation; only this file imports it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

func mathExp(_ x: Double) -> Double { exp(x) }
func mathTanh(_ x: Double) -> Double { tanh(x) }
func mathPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
