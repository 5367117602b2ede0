using System;
using System.Runtime.CompilerServices;

namespace IoTSec.Protocol.Crypto
{
    /// <summary>Comparisons whose running time does not depend on secret contents.</summary>
    /// <remarks>
    /// Why MAC checks need this: a comparison that returns at the first differing byte takes
    /// longer the more leading bytes of a forged MAC are right. An attacker who can time the
    /// refusal (over a LAN, or by counting retries of a device) then recovers a valid MAC for a
    /// message of their choice byte by byte, in about 256 * 32 tries instead of 2^256: the
    /// classic remote timing attack on HMAC verification. Comparing every byte and combining
    /// the differences with OR makes the time depend only on the length, which is public.
    /// </remarks>
    public static class ConstantTime
    {
        /// <summary>
        /// True when both arrays have the same length and the same bytes. The time taken depends
        /// on the length only, not on where (or whether) the bytes differ. Arrays of different
        /// lengths compare unequal at once: lengths are not secret (a MAC's length is fixed by
        /// the protocol).
        /// </summary>
        /// <param name="a">First array.</param>
        /// <param name="b">Second array.</param>
        /// <returns>True when equal.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="a"/> or <paramref name="b"/> is null.</exception>
        public static bool AreEqual(byte[] a, byte[] b)
        {
            if (a == null)
            {
                throw new ArgumentNullException("a");
            }

            if (b == null)
            {
                throw new ArgumentNullException("b");
            }

            if (a.Length != b.Length)
            {
                return false;
            }

            return AccumulateDifference(a, 0, b, 0, a.Length) == 0;
        }

        /// <summary>
        /// True when <paramref name="length"/> bytes of <paramref name="a"/> from
        /// <paramref name="aOffset"/> equal those of <paramref name="b"/> from
        /// <paramref name="bOffset"/>, in time that depends on <paramref name="length"/> only.
        /// Use it to check a MAC that sits inside a received frame, or a truncated MAC.
        /// </summary>
        /// <param name="a">First array.</param>
        /// <param name="aOffset">Start of the range in <paramref name="a"/>.</param>
        /// <param name="b">Second array.</param>
        /// <param name="bOffset">Start of the range in <paramref name="b"/>.</param>
        /// <param name="length">Bytes to compare; zero compares equal.</param>
        /// <returns>True when the ranges are equal.</returns>
        /// <exception cref="ArgumentNullException">An array is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A range lies outside its array.</exception>
        public static bool AreEqual(byte[] a, int aOffset, byte[] b, int bOffset, int length)
        {
            CryptoArguments.CheckRange(a, aOffset, length, "a");
            CryptoArguments.CheckRange(b, bOffset, length, "b");
            return AccumulateDifference(a, aOffset, b, bOffset, length) == 0;
        }

        // No inlining and (on .NET) no optimization, as CryptographicOperations.FixedTimeEquals
        // does: the loop must stay a plain loop over every byte, with no early exit a compiler
        // might derive from the OR. nanoFramework's MethodImplOptions has no NoOptimization and
        // its interpreter does not optimize anyway.
#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.NoInlining)]
#else
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
#endif
        private static int AccumulateDifference(byte[] a, int aOffset, byte[] b, int bOffset, int length)
        {
            int difference = 0;
            for (int i = 0; i < length; i++)
            {
                difference |= a[aOffset + i] ^ b[bOffset + i];
            }

            return difference;
        }
    }
}
