using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Keys;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

[TestClass]
[SupportedOSPlatform("linux")]
public sealed class SoftwareKeyStoreTests
{
    private string _root = null!;

    [TestInitialize]
    public void Setup() => _root = TempDirectory.Create("iotsec-keys");

    [TestCleanup]
    public void Cleanup() => TempDirectory.Delete(_root);

    [TestMethod]
    public void RefusesToOpenWhenTheConfigurationDoesNotAllowSoftwareKeys()
    {
        var error = Assert.ThrowsExactly<GatewayKeyStoreException>(() => new SoftwareKeyStore(Path.Combine(_root, "keys"), allowSoftwareKeys: false));
        StringAssert.Contains(error.Message, "not allowed");
        Assert.IsFalse(Directory.Exists(Path.Combine(_root, "keys")), "a refused store must not create anything");
    }

    [TestMethod]
    public void CreatesThePrivateDirectoryAndKeyFilesWithOwnerOnlyModes()
    {
        var directory = Path.Combine(_root, "data", "keys");
        using var store = new SoftwareKeyStore(directory, allowSoftwareKeys: true);

        Assert.AreEqual("software", store.Backend);
        Assert.IsFalse(store.IsHardwareBacked);
        Assert.AreEqual(SoftwareKeyFile.PrivateDirectoryMode, File.GetUnixFileMode(directory));

        Assert.IsFalse(store.Exists(GatewayKeyRole.DeviceCa));
        store.Create(GatewayKeyRole.DeviceCa);
        store.Create(GatewayKeyRole.Identity);
        Assert.IsTrue(store.Exists(GatewayKeyRole.DeviceCa));
        Assert.AreEqual(SoftwareKeyFile.PrivateFileMode, File.GetUnixFileMode(store.KeyPath(GatewayKeyRole.DeviceCa)));
        Assert.AreEqual(SoftwareKeyFile.PrivateFileMode, File.GetUnixFileMode(store.KeyPath(GatewayKeyRole.Identity)));
        StringAssert.StartsWith(File.ReadAllText(store.KeyPath(GatewayKeyRole.DeviceCa)), "-----BEGIN PRIVATE KEY-----");
        Assert.IsEmpty(Directory.GetFiles(directory, "*.tmp-*"), "no temporary file may be left behind");
    }

    [TestMethod]
    public void OpenedKeysAreP256AndSignWhatTheExportedPublicKeyVerifies()
    {
        using var store = new SoftwareKeyStore(Path.Combine(_root, "keys"), allowSoftwareKeys: true);
        store.Create(GatewayKeyRole.DeviceCa);
        store.Create(GatewayKeyRole.Identity);

        using var key = store.Open(GatewayKeyRole.DeviceCa);
        Assert.AreEqual(256, key.KeySize);
        var data = "heartbeat"u8.ToArray();
        var signature = key.SignData(data, HashAlgorithmName.SHA256);

        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(store.ExportSubjectPublicKeyInfo(GatewayKeyRole.DeviceCa), out _);
        Assert.IsTrue(publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256));

        CollectionAssert.AreNotEqual(
            store.ExportSubjectPublicKeyInfo(GatewayKeyRole.DeviceCa), store.ExportSubjectPublicKeyInfo(GatewayKeyRole.Identity), "each role has its own key");
    }

    [TestMethod]
    public void RefusesToCreateAKeyThatExists()
    {
        using var store = new SoftwareKeyStore(Path.Combine(_root, "keys"), allowSoftwareKeys: true);
        store.Create(GatewayKeyRole.DeviceCa);
        var before = File.ReadAllText(store.KeyPath(GatewayKeyRole.DeviceCa));

        Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.Create(GatewayKeyRole.DeviceCa));
        Assert.AreEqual(before, File.ReadAllText(store.KeyPath(GatewayKeyRole.DeviceCa)), "the existing key must be untouched");
    }

    [TestMethod]
    [DataRow(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [DataRow(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead)]
    [DataRow(UnixFileMode.UserRead | UnixFileMode.GroupWrite)]
    public void RefusesAKeyFileThatGroupOrOthersCanAccess(UnixFileMode mode)
    {
        using var store = new SoftwareKeyStore(Path.Combine(_root, "keys"), allowSoftwareKeys: true);
        store.Create(GatewayKeyRole.DeviceCa);
        File.SetUnixFileMode(store.KeyPath(GatewayKeyRole.DeviceCa), mode);

        var error = Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.Open(GatewayKeyRole.DeviceCa));
        StringAssert.Contains(error.Message, "accessible by group or others");
    }

    [TestMethod]
    public void RefusesAnExistingKeyDirectoryThatOthersCanRead()
    {
        var directory = Path.Combine(_root, "keys");
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        Assert.ThrowsExactly<GatewayKeyStoreException>(() => new SoftwareKeyStore(directory, allowSoftwareKeys: true));
    }

    [TestMethod]
    public void OpeningAMissingOrDamagedKeyFailsWithTheKeyNamed()
    {
        using var store = new SoftwareKeyStore(Path.Combine(_root, "keys"), allowSoftwareKeys: true);
        var missing = Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.Open(GatewayKeyRole.Identity));
        StringAssert.Contains(missing.Message, "Identity");

        store.Create(GatewayKeyRole.Identity);
        File.WriteAllText(store.KeyPath(GatewayKeyRole.Identity), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        var damaged = Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.Open(GatewayKeyRole.Identity));
        StringAssert.Contains(damaged.Message, "damaged");
    }

    [TestMethod]
    public void TheLoudWarningNamesTheRisk()
    {
        StringAssert.Contains(SoftwareKeyStore.Warning, "SOFTWARE KEY STORE");
        StringAssert.Contains(SoftwareKeyStore.Warning, "TPM");
    }
}
