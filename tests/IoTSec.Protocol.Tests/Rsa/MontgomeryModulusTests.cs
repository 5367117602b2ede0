using System;
using System.Numerics;
using IoTSec.Protocol.Rsa;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Rsa;

/// <summary>
/// The Montgomery arithmetic against System.Numerics.BigInteger on random odd moduli of the
/// sizes RSA keys have, including bit lengths that are not multiples of 32 or of 8.
/// </summary>
[TestClass]
public sealed class MontgomeryModulusTests
{
    public static System.Collections.Generic.IEnumerable<object[]> ModulusSizes =>
    [
        [2048], [2049], [2056], [2070], [3072], [3100], [4096],
    ];

    [TestMethod]
    [DynamicData(nameof(ModulusSizes))]
    public void RSquared_MatchesBigInteger(int bits)
    {
        var random = new Random(bits);
        for (int round = 0; round < 5; round++)
        {
            var n = RandomOddModulus(random, bits);
            var montgomery = Create(n, bits);
            var expected = BigInteger.ModPow(2, 2 * 32 * montgomery.LimbCount, n);
            Assert.AreEqual(expected, ToBig(montgomery.GetRSquared()));
        }
    }

    [TestMethod]
    [DynamicData(nameof(ModulusSizes))]
    public void Multiply_IsABTimesRInverse(int bits)
    {
        var random = new Random(bits + 1);
        var n = RandomOddModulus(random, bits);
        var montgomery = Create(n, bits);
        int k = montgomery.LimbCount;
        var rInverse = ModInverse(BigInteger.One << (32 * k), n);
        for (int round = 0; round < 20; round++)
        {
            var a = RandomBelow(random, n);
            var b = RandomBelow(random, n);

            // Edge values too: 0, 1, n - 1.
            if (round == 0)
            {
                a = n - 1;
                b = n - 1;
            }
            else if (round == 1)
            {
                a = BigInteger.Zero;
            }
            else if (round == 2)
            {
                b = BigInteger.One;
            }

            var result = new uint[k];
            montgomery.Multiply(ToLimbs(a, k), ToLimbs(b, k), result, new uint[k + 1]);
            var expected = a * b * rInverse % n;
            Assert.AreEqual(expected, ToBig(result), "round " + round);
        }
    }

    [TestMethod]
    [DynamicData(nameof(ModulusSizes))]
    public void PowerF4_MatchesModPow65537(int bits)
    {
        var random = new Random(bits + 2);
        for (int round = 0; round < 10; round++)
        {
            var n = RandomOddModulus(random, bits);
            var montgomery = Create(n, bits);
            var s = round == 0 ? n - 1 : round == 1 ? BigInteger.One : RandomBelow(random, n);
            var actual = ToBig(montgomery.PowerF4(ToLimbs(s, montgomery.LimbCount)));
            Assert.AreEqual(BigInteger.ModPow(s, 65537, n), actual, "round " + round);
        }
    }

    [TestMethod]
    public void MultiplicationsPerProduct_Is2KSquaredPlusK()
    {
        var n = RandomOddModulus(new Random(1), 2048);
        Assert.AreEqual((2 * 64 * 64) + 64, Create(n, 2048).MultiplicationsPerProduct);
    }

    internal static MontgomeryModulus Create(BigInteger n, int bits)
    {
        int k = (bits + 31) / 32;
        return new MontgomeryModulus(ToLimbs(n, k), bits);
    }

    internal static BigInteger RandomOddModulus(Random random, int bits)
    {
        var bytes = new byte[(bits + 7) / 8];
        random.NextBytes(bytes);
        var n = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        n &= (BigInteger.One << bits) - 1;
        n |= (BigInteger.One << (bits - 1)) | BigInteger.One;
        return n;
    }

    internal static BigInteger RandomBelow(Random random, BigInteger n)
    {
        var bytes = new byte[n.GetByteCount(isUnsigned: true) + 8];
        random.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % n;
    }

    internal static uint[] ToLimbs(BigInteger value, int k)
    {
        var limbs = new uint[k];
        for (int i = 0; i < k; i++)
        {
            limbs[i] = (uint)(value & uint.MaxValue);
            value >>= 32;
        }

        return limbs;
    }

    internal static BigInteger ToBig(uint[] limbs)
    {
        var value = BigInteger.Zero;
        for (int i = limbs.Length - 1; i >= 0; i--)
        {
            value = (value << 32) | limbs[i];
        }

        return value;
    }

    /// <summary>a^-1 mod m by the extended Euclidean algorithm (R is invertible modulo an odd n).</summary>
    internal static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        BigInteger oldR = a % m, r = m, oldS = 1, s = 0;
        while (r != 0)
        {
            var quotient = oldR / r;
            (oldR, r) = (r, oldR - (quotient * r));
            (oldS, s) = (s, oldS - (quotient * s));
        }

        Assert.AreEqual(BigInteger.One, oldR, "not invertible");
        return ((oldS % m) + m) % m;
    }
}
