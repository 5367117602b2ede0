using System;

namespace IoTSec.Protocol.Rsa
{
    /// <summary>
    /// Arithmetic modulo an odd RSA modulus n in Montgomery form, over little-endian arrays of
    /// 32-bit limbs: what RSAVP1 (RFC 8017 §5.2.2) needs to compute s^65537 mod n, and nothing
    /// more (no division, no general exponent, no generics).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why Montgomery multiplication: it replaces the division of schoolbook modular
    /// reduction (which in portable code would be a long, branchy loop) by multiplications
    /// and shifts by whole limbs. With R = 2^(32k) for a k-limb modulus,
    /// <see cref="Multiply"/> computes a·b·R⁻¹ mod n. The loop is the Coarsely Integrated
    /// Operand Scanning (CIOS) method of Koç, Acar and Kaliski, "Analyzing and Comparing
    /// Montgomery Multiplication Algorithms" (IEEE Micro, 1996): k outer steps, each a
    /// multiply-accumulate row for a·b[i] and one for m·n, 2k² + k word multiplications in
    /// all, with a scratch of k + 1 limbs. The two rows of a step share one inner loop (the
    /// ordering of their FIOS variant), because on the device the cost is the number of IL
    /// instructions interpreted, and fusing saves a load and a store of t[j] and one loop's
    /// overhead per limb (ADR 0004 counts them).
    /// </para>
    /// <para>
    /// Why only e = 65537: s^65537 = s^(2^16) · s, which in Montgomery form is one conversion
    /// into the domain, sixteen squarings and one multiplication by the plain s that also
    /// leaves the domain: 18 multiplications, the same count for every signature, so the cost
    /// on a device is fixed and known in advance.
    /// </para>
    /// <para>
    /// Not constant time: the final conditional subtraction depends on the data. That is
    /// fine for signature verification, where every input (key, signature, message) is
    /// public. Do not reuse this class with a private exponent.
    /// </para>
    /// </remarks>
    internal sealed class MontgomeryModulus
    {
        private readonly uint[] _n;
        private readonly int _k;

        // -n^-1 mod 2^32: makes the low limb vanish in each reduction step.
        private readonly uint _n0Inverse;

        private readonly int _bitLength;

        // R^2 mod n: multiplying by it enters the Montgomery domain. Computed on first use
        // (about 12 products): decoding a key, for example to validate a trust-anchor
        // update, must not pay for it, nor must a device's boot for keys it never uses.
        // An empty array means "not yet"; a race computes the same value twice, harmlessly.
        private uint[] _rSquared = new uint[0];

        /// <summary>Prepares arithmetic modulo <paramref name="modulus"/>.</summary>
        /// <param name="modulus">Little-endian 32-bit limbs of an odd n whose top limb is non-zero; the array is copied.</param>
        /// <param name="bitLength">Bit length of n (its top limb's highest set bit included).</param>
        internal MontgomeryModulus(uint[] modulus, int bitLength)
        {
            _k = modulus.Length;
            _n = new uint[_k];
            Array.Copy(modulus, _n, _k);
            _n0Inverse = NegativeInverse(_n[0]);
            _bitLength = bitLength;
        }

        /// <summary>Number of 32-bit limbs, k.</summary>
        internal int LimbCount
        {
            get { return _k; }
        }

        /// <summary>The modulus limbs (not a copy: callers must not change them).</summary>
        internal uint[] Limbs
        {
            get { return _n; }
        }

        /// <summary>R² mod n, exposed for tests (a copy).</summary>
        internal uint[] GetRSquared()
        {
            uint[] copy = new uint[_k];
            Array.Copy(RSquared(), copy, _k);
            return copy;
        }

        /// <summary>Number of 32×32-bit multiplications one <see cref="Multiply"/> performs: 2k² + k.</summary>
        internal int MultiplicationsPerProduct
        {
            get { return (2 * _k * _k) + _k; }
        }

        /// <summary>
        /// result = a·b·R⁻¹ mod n, fully reduced (result &lt; n), for a, b &lt; n.
        /// <paramref name="result"/> may be <paramref name="a"/> or <paramref name="b"/>.
        /// </summary>
        /// <param name="a">k limbs, less than n.</param>
        /// <param name="b">k limbs, less than n.</param>
        /// <param name="result">Receives k limbs.</param>
        /// <param name="scratch">k + 1 limbs of working space (a longer array is fine).</param>
        internal void Multiply(uint[] a, uint[] b, uint[] result, uint[] scratch)
        {
            int k = _k;
            uint[] n = _n;
            uint[] t = scratch;
            Array.Clear(t, 0, k + 1);

            for (int i = 0; i < k; i++)
            {
                // One outer step of CIOS: t = (t + a·b[i] + m·n) / 2^32, where m makes the
                // sum divisible by 2^32. The multiplication row (carry c1) and the reduction
                // row (carry c2) run in one fused inner loop, as the FIOS ordering does: each
                // limb of t is loaded and stored once per step, which in an interpreter saves
                // about a fifth of the IL executed.
                //
                // Bounds: a limb plus a product of two limbs plus a carry is at most
                // (2^32 - 1) + (2^32 - 1)^2 + (2^32 - 1) = 2^64 - 1, so ulong holds every sum.
                ulong bi = b[i];
                ulong s1 = t[0] + (a[0] * bi);
                ulong c1 = s1 >> 32;
                ulong m = (uint)((uint)s1 * _n0Inverse);

                // The low limb of (uint)s1 + m·n[0] is zero by the choice of m: only its carry matters.
                ulong s2 = (uint)s1 + (m * n[0]);
                ulong c2 = s2 >> 32;
                for (int j = 1; j < k; j++)
                {
                    s1 = t[j] + (a[j] * bi) + c1;
                    c1 = s1 >> 32;
                    s2 = (uint)s1 + (m * n[j]) + c2;
                    c2 = s2 >> 32;
                    t[j - 1] = (uint)s2;
                }

                // Top limbs: t[k] is 0 or 1 (t < 2n < 2R between steps), so both sums fit
                // 33 bits and the new t[k] is again 0 or 1.
                s1 = t[k] + c1;
                s2 = (uint)s1 + c2;
                t[k - 1] = (uint)s2;
                t[k] = (uint)((s1 >> 32) + (s2 >> 32));
            }

            // t < 2n here (inputs below n); one subtraction brings it below n.
            if (t[k] != 0 || CompareLimbs(t, n, k) >= 0)
            {
                SubtractInPlace(t, n, k);
            }

            Array.Copy(t, result, k);
        }

        /// <summary>
        /// result = s^65537 mod n, for s &lt; n: into the Montgomery domain (s·R), sixteen
        /// squarings (s^65536·R), then one product with the plain s, whose R⁻¹ leaves the
        /// domain (s^65537). 18 calls to <see cref="Multiply"/>.
        /// </summary>
        /// <param name="s">k limbs, less than n.</param>
        /// <returns>k limbs of s^65537 mod n.</returns>
        internal uint[] PowerF4(uint[] s)
        {
            uint[] scratch = new uint[_k + 1];
            uint[] x = new uint[_k];
            Multiply(s, RSquared(), x, scratch);
            for (int i = 0; i < 16; i++)
            {
                Multiply(x, x, x, scratch);
            }

            Multiply(x, s, x, scratch);
            return x;
        }

        /// <summary>Compares the first <paramref name="k"/> limbs of two numbers: negative, zero or positive.</summary>
        internal static int CompareLimbs(uint[] a, uint[] b, int k)
        {
            for (int i = k - 1; i >= 0; i--)
            {
                if (a[i] != b[i])
                {
                    return a[i] < b[i] ? -1 : 1;
                }
            }

            return 0;
        }

        /// <summary>a -= b over k limbs; a borrow out of the top limb is dropped (the caller knows a ≥ b, or that a had a limb k).</summary>
        private static void SubtractInPlace(uint[] a, uint[] b, int k)
        {
            long borrow = 0;
            for (int i = 0; i < k; i++)
            {
                long difference = (long)a[i] - b[i] - borrow;
                a[i] = (uint)difference;
                borrow = difference < 0 ? 1 : 0;
            }
        }

        /// <summary>-x⁻¹ mod 2^32 for odd x, by Newton's iteration y ← y·(2 − x·y), which doubles the correct low bits each step.</summary>
        private static uint NegativeInverse(uint x)
        {
            // x·x ≡ 1 (mod 8) for odd x: y = x is right in 3 bits; 3 → 6 → 12 → 24 → 48.
            uint y = x;
            for (int i = 0; i < 4; i++)
            {
                y *= 2 - (x * y);
            }

            return (uint)(0 - y);
        }

        /// <summary>
        /// R² mod n without a division: R mod n by doubling 2^(bits-1) (which is below n),
        /// then write 32k = j·2^h with j odd; j more doublings give 2^j·R, the Montgomery form
        /// of 2^j, and h Montgomery squarings give the Montgomery form of 2^(32k) = R, whose
        /// value is R² mod n. For 2048 bits: 1 doubling, then 11 squarings.
        /// </summary>
        private uint[] ComputeRSquared(int bitLength)
        {
            int k = _k;
            uint[] x = new uint[k];
            x[(bitLength - 1) / 32] = 1u << ((bitLength - 1) % 32);

            int totalBits = 32 * k;
            for (int i = bitLength - 1; i < totalBits; i++)
            {
                DoubleModN(x);
            }

            int j = totalBits;
            int h = 0;
            while ((j & 1) == 0)
            {
                j >>= 1;
                h++;
            }

            for (int i = 0; i < j; i++)
            {
                DoubleModN(x);
            }

            uint[] scratch = new uint[k + 1];
            for (int i = 0; i < h; i++)
            {
                Multiply(x, x, x, scratch);
            }

            return x;
        }

        private uint[] RSquared()
        {
            uint[] rSquared = _rSquared;
            if (rSquared.Length == 0)
            {
                rSquared = ComputeRSquared(_bitLength);
                _rSquared = rSquared;
            }

            return rSquared;
        }

        /// <summary>x = 2x mod n, for x &lt; n.</summary>
        private void DoubleModN(uint[] x)
        {
            int k = _k;
            uint carry = 0;
            for (int i = 0; i < k; i++)
            {
                uint limb = x[i];
                x[i] = (limb << 1) | carry;
                carry = limb >> 31;
            }

            if (carry != 0 || CompareLimbs(x, _n, k) >= 0)
            {
                SubtractInPlace(x, _n, k);
            }
        }
    }
}
