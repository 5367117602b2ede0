using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Keys;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

[TestClass]
[SupportedOSPlatform("linux")]
public sealed class SoftwareSecretSealerTests
{
    private string _root = null!;
    private string _keys = null!;

    [TestInitialize]
    public void Setup()
    {
        _root = TempDirectory.Create("iotsec-sealer");
        _keys = Path.Combine(_root, "keys");
    }

    [TestCleanup]
    public void Cleanup() => TempDirectory.Delete(_root);

    private ISecretSealer NewSealer() => new SoftwareKeyStore(_keys, allowSoftwareKeys: true).Sealer;

    private string BlobPath(string name) => Path.Combine(_keys, "sealed", name + ".sealed");

    [TestMethod]
    public void SealsAndUnsealsAcrossInstancesWithPrivateFilesInTheDocumentedFormat()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        NewSealer().Seal("heartbeat-master", secret);

        var sealer = NewSealer();
        Assert.IsTrue(sealer.Exists("heartbeat-master"));
        Assert.IsFalse(sealer.Exists("other"));
        CollectionAssert.AreEqual(secret, sealer.Unseal("heartbeat-master"));

        var blob = File.ReadAllBytes(BlobPath("heartbeat-master"));
        Assert.AreEqual(1 + 12 + 16 + secret.Length, blob.Length, "version, nonce, tag, ciphertext");
        Assert.AreEqual(SoftwareSecretSealer.FormatVersion, blob[0]);
        Assert.IsFalse(blob.AsSpan(29).SequenceEqual(secret), "the secret must not be stored in the clear");
        Assert.AreEqual(SoftwareKeyFile.PrivateFileMode, File.GetUnixFileMode(BlobPath("heartbeat-master")));
        Assert.AreEqual(SoftwareKeyFile.PrivateFileMode, File.GetUnixFileMode(Path.Combine(_keys, "sealer.key")));
        Assert.AreEqual(32, new FileInfo(Path.Combine(_keys, "sealer.key")).Length);
    }

    [TestMethod]
    public void SealingTwiceUsesAFreshNonceAndTheLatestSecretWins()
    {
        var sealer = NewSealer();
        sealer.Seal("s", [1, 2, 3]);
        var first = File.ReadAllBytes(BlobPath("s"));
        sealer.Seal("s", [1, 2, 3]);
        var second = File.ReadAllBytes(BlobPath("s"));
        CollectionAssert.AreNotEqual(first, second, "a nonce must never repeat under one key");

        sealer.Seal("s", [9]);
        CollectionAssert.AreEqual(new byte[] { 9 }, sealer.Unseal("s"));
    }

    [TestMethod]
    public void TheTamperLatchKeepsSecretsSealedUntilRearmedEvenAcrossRestarts()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var sealer = NewSealer();
        sealer.Seal("heartbeat-master", secret);

        sealer.MarkTampered();
        sealer.MarkTampered();
        var error = Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("heartbeat-master"));
        StringAssert.Contains(error.Message, "tampered");

        // A restarted daemon (new instance over the same directory) is still latched.
        var restarted = NewSealer();
        Assert.ThrowsExactly<SecretSealedException>(() => restarted.Unseal("heartbeat-master"));

        restarted.Rearm();
        CollectionAssert.AreEqual(secret, restarted.Unseal("heartbeat-master"));
        CollectionAssert.AreEqual(secret, sealer.Unseal("heartbeat-master"));
    }

    [TestMethod]
    [DataRow(0, DisplayName = "version byte")]
    [DataRow(1, DisplayName = "nonce")]
    [DataRow(20, DisplayName = "tag")]
    [DataRow(29, DisplayName = "ciphertext first byte")]
    [DataRow(-1, DisplayName = "ciphertext last byte")]
    public void RefusesABlobWithAnyByteChanged(int offset)
    {
        var sealer = NewSealer();
        sealer.Seal("s", RandomNumberGenerator.GetBytes(32));
        var blob = File.ReadAllBytes(BlobPath("s"));
        blob[offset < 0 ? blob.Length + offset : offset] ^= 0x01;
        File.WriteAllBytes(BlobPath("s"), blob);

        Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("s"));
    }

    [TestMethod]
    public void RefusesTruncatedBlobs()
    {
        var sealer = NewSealer();
        sealer.Seal("s", RandomNumberGenerator.GetBytes(32));
        var blob = File.ReadAllBytes(BlobPath("s"));
        foreach (var length in new[] { 0, 1, 13, 28, 29, blob.Length - 1 })
        {
            File.WriteAllBytes(BlobPath("s"), blob[..length]);
            Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("s"), $"length {length}");
        }
    }

    [TestMethod]
    public void ABlobMovedToAnotherNameDoesNotUnseal()
    {
        var sealer = NewSealer();
        sealer.Seal("a", RandomNumberGenerator.GetBytes(32));
        sealer.Seal("b", RandomNumberGenerator.GetBytes(32));
        File.Copy(BlobPath("a"), BlobPath("b"), overwrite: true);

        var error = Assert.ThrowsExactly<SecretSealedException>(() => sealer.Unseal("b"));
        StringAssert.Contains(error.Message, "damaged");
    }

    [TestMethod]
    public void ABlobFromAnotherGatewayDoesNotUnseal()
    {
        NewSealer().Seal("s", RandomNumberGenerator.GetBytes(32));
        var otherKeys = Path.Combine(_root, "other-keys");
        var other = new SoftwareKeyStore(otherKeys, allowSoftwareKeys: true).Sealer;
        other.Seal("unrelated", [1]);
        Directory.CreateDirectory(Path.Combine(otherKeys, "sealed"));
        File.Copy(BlobPath("s"), Path.Combine(otherKeys, "sealed", "s.sealed"));

        Assert.ThrowsExactly<SecretSealedException>(() => other.Unseal("s"));
    }

    [TestMethod]
    public void NamesAreRestrictedAndMissingSecretsAreReported()
    {
        var sealer = NewSealer();
        foreach (var bad in new[] { "", "../escape", ".hidden", "a/b", new string('x', 65), "spa ce" })
        {
            Assert.ThrowsExactly<ArgumentException>(() => sealer.Seal(bad, [1]), bad);
        }

        Assert.ThrowsExactly<GatewayKeyStoreException>(() => sealer.Unseal("never-sealed"));
        Assert.ThrowsExactly<ArgumentException>(() => sealer.Seal("big", new byte[SoftwareSecretSealer.MaxSecretLength + 1]));
    }
}
