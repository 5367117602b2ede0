using System.IO;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>The fuzzing seeds behave as their names say: the fuzzer starts from known outcomes.</summary>
[TestClass]
public sealed class FuzzCorpusTests
{
    [TestMethod]
    [DataRow("seed-ecdsa-p256-device.bin")]
    [DataRow("seed-rsa2048-selfsigned.bin")]
    [DataRow("seed-ecdsa-no-cn-no-expiry.bin")]
    public void ValidSeeds_AgreeWithDotNet(string name)
    {
        DotNetAgreement.AssertAgrees(DerCorpus.Read(name));
    }

    [TestMethod]
    [DataRow("seed-bad-truncated.bin", DerError.Truncated)]
    [DataRow("seed-bad-trailing-byte.bin", DerError.TrailingData)]
    [DataRow("seed-bad-wrong-outer-tag.bin", DerError.UnexpectedTag)]
    [DataRow("seed-bad-indefinite-length.bin", DerError.IndefiniteLength)]
    [DataRow("seed-bad-nonminimal-length.bin", DerError.NonMinimalLength)]
    [DataRow("seed-bad-length-7fffffff.bin", DerError.Truncated)]
    [DataRow("seed-bad-oid-leading-80.bin", DerError.InvalidOid)]
    [DataRow("seed-bad-deep-nesting.bin", DerError.UnexpectedTag)] // X.509's fixed shape stops it long before the depth limit
    public void MalformedSeeds_AreRefusedForTheirReason(string name, DerError reason)
    {
        var e = Assert.ThrowsExactly<DerException>(() => X509CertificateInfo.Parse(DerCorpus.Read(name)));

        Assert.AreEqual(reason, e.Reason, e.Message);
    }

    [TestMethod]
    public void EverySeedIsCoveredByATest()
    {
        Assert.HasCount(11, Directory.GetFiles(DerCorpus.Directory, "seed-*.bin"));
    }
}
