using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tpm;

/// <summary>
/// Sealing to PCR 23 on a software TPM of this class's own: PCR 23 is state of the whole
/// TPM, and extending the shared one would make other classes' unseals fail.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class TpmSecretSealerTests
{
    private static SoftwareTpm? _tpm;
    private string _directory = string.Empty;

    private static SoftwareTpm Tpm => _tpm ??= SoftwareTpm.Start(withResourceManager: false);

    [ClassCleanup]
    public static void StopTpm() => _tpm?.Dispose();

    [TestInitialize]
    public void CreateDirectory()
    {
        _directory = Path.Combine(TpmTestSupport.TemporaryDirectory(), "sealed");
        new TpmTamperLatch(Tpm.Tcti).Reset();
    }

    [TestCleanup]
    public void RemoveDirectory() => Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);

    [TestMethod]
    public void ASealedSecretUnsealsOnTheSameTpmAndIsKeptInA0600File()
    {
        var sealer = new TpmSecretSealer(Tpm.Tcti, _directory);
        var secret = RandomNumberGenerator.GetBytes(32);

        sealer.Seal("gateway-secret", secret);

        Assert.IsTrue(sealer.Exists("gateway-secret"));
        CollectionAssert.AreEqual(secret, sealer.Unseal("gateway-secret"));
        var file = sealer.PathOf("gateway-secret");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.AreEqual(-1, File.ReadAllBytes(file).AsSpan().IndexOf(secret), "the secret is in the file in clear");
    }

    [TestMethod]
    public void UnsealFailsAfterMarkTamperedAndWorksAgainAfterRearm()
    {
        var sealer = new TpmSecretSealer(Tpm.Tcti, _directory);
        var secret = RandomNumberGenerator.GetBytes(64);
        sealer.Seal("gateway-secret", secret);

        sealer.MarkTampered();

        Assert.IsTrue(sealer.IsTampered);
        var pcr = Tpm.Run("tpm2_pcrread", "sha256:23").EnsureSuccess().StandardOutput;
        Assert.DoesNotContain("0x0000000000000000000000000000000000000000000000000000000000000000", pcr, "tpm2_pcrread still shows PCR 23 at zero");
        var error = Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("gateway-secret"));
        StringAssert.Contains(error.Message, "PCR 23");
        StringAssert.Contains(error.Message, "tampered");

        sealer.Rearm();

        Assert.IsFalse(sealer.IsTampered);
        CollectionAssert.AreEqual(secret, sealer.Unseal("gateway-secret"));
    }

    [TestMethod]
    public void ASecretSealedWhileTamperedUnsealsAfterRearm()
    {
        var sealer = new TpmSecretSealer(Tpm.Tcti, _directory);
        sealer.MarkTampered();
        sealer.MarkTampered();
        var secret = RandomNumberGenerator.GetBytes(16);

        // The policy names PCR 23's reset value, not the value at sealing time.
        sealer.Seal("restored-secret", secret);

        Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("restored-secret"));
        sealer.Rearm();
        CollectionAssert.AreEqual(secret, sealer.Unseal("restored-secret"));
    }

    [TestMethod]
    public void ABlobSealedByOneTpmDoesNotUnsealOnAFreshTpm()
    {
        var sealer = new TpmSecretSealer(Tpm.Tcti, _directory);
        sealer.Seal("gateway-secret", RandomNumberGenerator.GetBytes(32));
        using var fresh = SoftwareTpm.Start(withResourceManager: false);
        var otherDirectory = Path.Combine(Path.GetDirectoryName(_directory)!, "other");
        Directory.CreateDirectory(otherDirectory);
        File.Copy(sealer.PathOf("gateway-secret"), Path.Combine(otherDirectory, "gateway-secret.tpm2-sealed"));
        var elsewhere = new TpmSecretSealer(fresh.Tcti, otherDirectory);

        var error = Assert.ThrowsExactly<SecretSealedException>(() => elsewhere.Unseal("gateway-secret"));

        StringAssert.Contains(error.Message, "not sealed by this TPM");
    }

    [TestMethod]
    public void TheSealedObjectCarriesThePolicyOnPcr23AndNoPasswordAccess()
    {
        var sealer = new TpmSecretSealer(Tpm.Tcti, _directory);
        sealer.Seal("gateway-secret", [1, 2, 3]);
        var file = File.ReadAllBytes(sealer.PathOf("gateway-secret"));
        var publicSize = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(5));
        var area = TpmPublicArea.Parse(file.AsSpan(5, 2 + publicSize));

        // TPM 2.0 Part 3, TPM2_PolicyPCR: policyDigest' = H(policyDigest || TPM_CC_PolicyPCR ||
        // pcrSelection || H(PCR values)), starting from 32 zero bytes; computed here by hand.
        byte[] commandCode = [0x00, 0x00, 0x01, 0x7F];
        byte[] selection = [0x00, 0x00, 0x00, 0x01, 0x00, 0x0B, 0x03, 0x00, 0x00, 0x80];
        var expected = SHA256.HashData([.. new byte[32], .. commandCode, .. selection, .. SHA256.HashData(new byte[32])]);
        CollectionAssert.AreEqual(expected, area.AuthPolicy);
        Assert.AreEqual(TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent, area.Attributes,
            "the sealed object must not be readable with its (empty) password: no userwithauth");
    }

    [TestMethod]
    public void ResealingReplacesTheSecret()
    {
        var sealer = new TpmSecretSealer(Tpm.Tcti, _directory);
        sealer.Seal("gateway-secret", [1]);
        sealer.Seal("gateway-secret", [2]);

        CollectionAssert.AreEqual(new byte[] { 2 }, sealer.Unseal("gateway-secret"));
    }

    [TestMethod]
    public void BadInputIsRefusedWithAReason()
    {
        var sealer = new TpmSecretSealer(Tpm.Tcti, _directory);

        Assert.ThrowsExactly<ArgumentException>(() => sealer.Seal("gateway-secret", new byte[TpmSecretSealer.MaxSecretLength + 1]));
        Assert.ThrowsExactly<ArgumentException>(() => sealer.Seal("gateway-secret", []));
        Assert.ThrowsExactly<ArgumentException>(() => sealer.Seal("../escape", [1]));
        Assert.ThrowsExactly<ArgumentException>(() => sealer.Exists("a/b"));
        var missing = Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("never-sealed"));
        StringAssert.Contains(missing.Message, "no sealed secret");
    }

    [TestMethod]
    public void ADamagedBlobIsReportedNotCrashedOn()
    {
        var sealer = new TpmSecretSealer(Tpm.Tcti, _directory);
        sealer.Seal("gateway-secret", [1, 2, 3]);
        var path = sealer.PathOf("gateway-secret");
        var bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 7).ToArray());
        Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("gateway-secret"));

        bytes[^3] ^= 0x40; // inside the TPM-encrypted private part: the TPM's integrity check catches it
        File.WriteAllBytes(path, bytes);
        Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("gateway-secret"));

        File.WriteAllBytes(path, "not a blob"u8.ToArray());
        StringAssert.Contains(Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("gateway-secret")).Message, "damaged");
    }

    [TestMethod]
    public void AnUnreachableTpmIsAClearError()
    {
        var sealer = new TpmSecretSealer(SoftwareTpm.DirectTcti(1), _directory);

        var error = Assert.ThrowsExactly<SecretSealedException>(() => sealer.Seal("gateway-secret", [1]));

        StringAssert.Contains(error.Message, "cannot reach the TPM");
    }
}
