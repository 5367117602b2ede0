using System;
using IoTSec.Firmware.Ota;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Ota;

/// <summary>The slot format the loader reads: a known-good image byte for byte, and every rejection with its reason.</summary>
[TestClass]
public sealed class ApplicationBundleTests
{
    // "IAPB" v1, 2 assemblies, entry "App.Program"; "Lib" 3 bytes, "App" 2 bytes.
    private const string KnownGoodHex =
        "49415042" + "01" + "02" + "0b" + "4170702e50726f6772616d" +
        "03" + "4c6962" + "00000003" + "010203" +
        "03" + "417070" + "00000002" + "0a0b";

    [TestMethod]
    public void KnownGoodImage_Parses()
    {
        var bundle = ApplicationBundle.Parse(Convert.FromHexString(KnownGoodHex));
        Assert.AreEqual("App.Program", bundle.EntryTypeName);
        Assert.AreEqual(2, bundle.AssemblyCount);
        Assert.AreEqual("Lib", bundle.GetAssemblyName(0));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, bundle.GetAssembly(0));
        Assert.AreEqual("App", bundle.GetAssemblyName(1));
        CollectionAssert.AreEqual(new byte[] { 0x0a, 0x0b }, bundle.GetAssembly(1));
    }

    [TestMethod]
    public void Build_WritesTheKnownGoodBytes()
    {
        CollectionAssert.AreEqual(
            Convert.FromHexString(KnownGoodHex),
            ApplicationBundle.Build("App.Program", ["Lib", "App"], [[1, 2, 3], [0x0a, 0x0b]]));
    }

    [TestMethod]
    public void GetAssembly_ReturnsACopy()
    {
        var bundle = ApplicationBundle.Parse(Convert.FromHexString(KnownGoodHex));
        bundle.GetAssembly(0)[0] = 99;
        Assert.AreEqual(1, bundle.GetAssembly(0)[0]);
    }

    [TestMethod]
    [DataRow("", BundleRejection.Truncated, DisplayName = "empty")]
    [DataRow("494150", BundleRejection.Truncated, DisplayName = "header cut")]
    [DataRow("4941504201020b", BundleRejection.Truncated, DisplayName = "ends before the entry name")]
    [DataRow("58415042010100", BundleRejection.BadMagic, DisplayName = "magic")]
    [DataRow("4941504202010141", BundleRejection.UnsupportedVersion, DisplayName = "version 2")]
    [DataRow("4941504201000141", BundleRejection.BadAssemblyCount, DisplayName = "no assemblies")]
    [DataRow("4941504201210141", BundleRejection.BadAssemblyCount, DisplayName = "33 assemblies")]
    [DataRow("494150420101004141", BundleRejection.BadEntryTypeName, DisplayName = "empty entry name")]
    [DataRow("49415042010102412f", BundleRejection.BadEntryTypeName, DisplayName = "entry name with a slash")]
    [DataRow("4941504201010241" + "2e", BundleRejection.BadEntryTypeName, DisplayName = "entry name ends with a dot")]
    [DataRow("494150420101014100", BundleRejection.BadAssemblyName, DisplayName = "empty assembly name")]
    [DataRow("49415042010101410241" + "20", BundleRejection.BadAssemblyName, DisplayName = "assembly name with a space")]
    [DataRow("4941504201010141014100000001", BundleRejection.Truncated, DisplayName = "assembly shorter than its length")]
    [DataRow("4941504201010141014100000000", BundleRejection.BadAssemblyLength, DisplayName = "empty assembly")]
    [DataRow("4941504201010141014100400001" + "00", BundleRejection.BadAssemblyLength, DisplayName = "assembly over 4 MiB")]
    [DataRow("49415042010101410141000000010100", BundleRejection.TrailingBytes, DisplayName = "trailing byte")]
    [DataRow("494150420102014101410000000101" + "01610000000102", BundleRejection.DuplicateAssemblyName, DisplayName = "duplicate name ignoring case")]
    public void BadImage_IsRefusedWithItsReason(string hex, BundleRejection reason)
    {
        var ex = Assert.ThrowsExactly<BundleRejectedException>(() => ApplicationBundle.Parse(Convert.FromHexString(hex)));
        Assert.AreEqual(reason, ex.Reason, ex.Message);
        StringAssert.Contains(ex.Message, BundleRejectedException.ReasonName(reason));
    }

    [TestMethod]
    public void EveryPrefixOfAGoodImage_IsRefusedAsTruncated()
    {
        var image = Convert.FromHexString(KnownGoodHex);
        for (int length = 0; length < image.Length; length++)
        {
            var ex = Assert.ThrowsExactly<BundleRejectedException>(() => ApplicationBundle.Parse(image.AsSpan(0, length).ToArray()), "prefix " + length);
            Assert.AreEqual(BundleRejection.Truncated, ex.Reason, "prefix " + length);
        }
    }
}
