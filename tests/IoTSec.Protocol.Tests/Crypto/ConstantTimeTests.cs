using System;
using IoTSec.Protocol.Crypto;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Crypto;

/// <summary>
/// ConstantTime.AreEqual gives the same answers as an ordinary comparison. (That its time does
/// not depend on the contents is a property of its code, one loop with no exit, and is not
/// measured here: a timing test would be flaky on a shared machine.)
/// </summary>
[TestClass]
public sealed class ConstantTimeTests
{
    [TestMethod]
    public void AreEqual_IsTrueOnlyForIdenticalArrays()
    {
        var a = new byte[32];
        new Random(1).NextBytes(a);
        Assert.IsTrue(ConstantTime.AreEqual(a, (byte[])a.Clone()));
        Assert.IsTrue(ConstantTime.AreEqual([], []));

        foreach (int position in new[] { 0, 1, 15, 30, 31 })
        {
            foreach (byte flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                var b = (byte[])a.Clone();
                b[position] ^= flip;
                Assert.IsFalse(ConstantTime.AreEqual(a, b), "difference at " + position + " mask " + flip);
                Assert.IsFalse(ConstantTime.AreEqual(b, a), "difference at " + position + " mask " + flip + ", reversed");
            }
        }
    }

    [TestMethod]
    public void AreEqual_DifferentLengths_IsFalse()
    {
        var a = new byte[] { 1, 2, 3 };
        Assert.IsFalse(ConstantTime.AreEqual(a, [1, 2]));
        Assert.IsFalse(ConstantTime.AreEqual(a, [1, 2, 3, 0]));
        Assert.IsFalse(ConstantTime.AreEqual([], a));
    }

    [TestMethod]
    public void AreEqual_WithRanges_ComparesOnlyTheRanges()
    {
        var frame = new byte[] { 9, 9, 1, 2, 3, 4, 9 };
        var mac = new byte[] { 0, 1, 2, 3, 4 };
        Assert.IsTrue(ConstantTime.AreEqual(frame, 2, mac, 1, 4));
        Assert.IsFalse(ConstantTime.AreEqual(frame, 1, mac, 1, 4));
        Assert.IsFalse(ConstantTime.AreEqual(frame, 2, mac, 0, 4));
        Assert.IsTrue(ConstantTime.AreEqual(frame, 7, mac, 5, 0), "empty ranges are equal");
    }

    [TestMethod]
    public void AreEqual_RejectsNullsAndRangesOutsideTheArrays()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => ConstantTime.AreEqual(null!, []));
        Assert.ThrowsExactly<ArgumentNullException>(() => ConstantTime.AreEqual([], null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => ConstantTime.AreEqual(null!, 0, [], 0, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ConstantTime.AreEqual(new byte[4], 1, new byte[4], 0, 4));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ConstantTime.AreEqual(new byte[4], 0, new byte[4], 0, -1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ConstantTime.AreEqual(new byte[4], -1, new byte[4], 0, 1));
    }

    [TestMethod]
    public void AreEqual_AgreesWithSequenceEqual_OnRandomPairs()
    {
        var random = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            var a = new byte[random.Next(0, 5)];
            var b = new byte[random.Next(0, 5)];
            // Tiny alphabet so equal pairs are common.
            for (int j = 0; j < a.Length; j++)
            {
                a[j] = (byte)random.Next(2);
            }

            for (int j = 0; j < b.Length; j++)
            {
                b[j] = (byte)random.Next(2);
            }

            Assert.AreEqual(a.AsSpan().SequenceEqual(b), ConstantTime.AreEqual(a, b));
        }
    }
}
