using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm;
using IoTSec.Gateway.Tpm.OpenSsl;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tpm;

/// <summary>The TPM key store against the real software TPM, checked with tpm2-tools and openssl as outside witnesses.</summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class TpmKeyStoreTests
{
    [TestMethod]
    public void KeysAreCreatedAsPersistentTpmObjectsWithFixedTpmAndSensitiveDataOrigin()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        var tpm = SoftwareTpm.Shared;

        store.Create(GatewayKeyRole.Identity);
        store.Create(GatewayKeyRole.DeviceCa);

        var persistent = tpm.Run("tpm2_getcap", "handles-persistent").EnsureSuccess().StandardOutput;
        foreach (var role in new[] { GatewayKeyRole.Identity, GatewayKeyRole.DeviceCa })
        {
            var handle = store.HandleOf(role);
            StringAssert.Contains(persistent, $"0x{handle:x8}", StringComparison.OrdinalIgnoreCase);
            var readPublic = tpm.Run("tpm2_readpublic", "-c", $"0x{handle:x8}").EnsureSuccess().StandardOutput;
            var attributes = AttributesLine(readPublic);
            foreach (var expected in new[] { "fixedtpm", "fixedparent", "sensitivedataorigin", "userwithauth", "sign" })
            {
                StringAssert.Contains(attributes, expected);
            }

            Assert.DoesNotContain("restricted", attributes);
            StringAssert.Contains(readPublic, "NIST p256", StringComparison.OrdinalIgnoreCase);
            Assert.IsTrue(store.Exists(role));
        }
    }

    [TestMethod]
    public void CertificatesSignedWithTheTpmKeyVerifyAgainstThePublicKeyTpm2ReadpublicPrints()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        var tpm = SoftwareTpm.Shared;
        store.Create(GatewayKeyRole.DeviceCa);
        using var caKey = store.Open(GatewayKeyRole.DeviceCa);
        using var toolsKey = TpmTestSupport.ReadPublicWithTools(tpm, store.HandleOf(GatewayKeyRole.DeviceCa));

        // A CA certificate signed by itself, and a device certificate it issues: both signatures
        // come from the TPM. The self-signed one is made with Create and the TPM key's signature
        // generator: CreateSelfSigned also attaches the private key to the result, which needs
        // the private key out of the TPM (see the next test).
        var caRequest = new CertificateRequest("CN=IoTSec gateway CA test", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var caCertificate = caRequest.Create(
            caRequest.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), now.AddDays(1), [0x01]);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var deviceRequest = new CertificateRequest("CN=device-0001", deviceKey, HashAlgorithmName.SHA256);
        using var deviceCertificate = deviceRequest.Create(caCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            now.AddMinutes(-1), now.AddHours(1), [1, 2, 3, 4]);

        Assert.IsTrue(TpmTestSupport.SignatureVerifies(caCertificate, toolsKey));
        Assert.IsTrue(TpmTestSupport.SignatureVerifies(deviceCertificate, toolsKey));
        CollectionAssert.AreEqual(toolsKey.ExportSubjectPublicKeyInfo(), caCertificate.PublicKey.ExportSubjectPublicKeyInfo());

        // And a foreign verifier agrees.
        var directory = TpmTestSupport.TemporaryDirectory();
        try
        {
            File.WriteAllText(Path.Combine(directory, "ca.pem"), caCertificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(directory, "device.pem"), deviceCertificate.ExportCertificatePem());
            var verify = tpm.Run("openssl", "verify", "-CAfile", Path.Combine(directory, "ca.pem"), Path.Combine(directory, "device.pem"));
            Assert.AreEqual(0, verify.ExitCode, verify.StandardOutput + verify.StandardError);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void CreateSelfSignedSignsInTheTpmButCannotAttachThePrivateKey()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        store.Create(GatewayKeyRole.DeviceCa);
        using var caKey = store.Open(GatewayKeyRole.DeviceCa);
        var request = new CertificateRequest("CN=self-signed", caKey, HashAlgorithmName.SHA256);

        // CopyWithPrivateKey takes the key handle only from ECDsaOpenSsl and otherwise
        // exports the private parameters: the TPM key refuses, with a message saying why.
        var error = Assert.ThrowsExactly<CryptographicException>(
            () => request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));
        StringAssert.Contains(error.Message, "cannot leave the TPM");
    }

    [TestMethod]
    public void ThePrivateKeyCannotBeExportedThroughDotNet()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        store.Create(GatewayKeyRole.Identity);
        var handle = store.HandleOf(GatewayKeyRole.Identity);

        using (var key = store.Open(GatewayKeyRole.Identity))
        {
            Assert.ThrowsExactly<CryptographicException>(() => key.ExportParameters(true));
            Assert.ThrowsExactly<CryptographicException>(() => key.ExportExplicitParameters(true));
            Assert.ThrowsExactly<CryptographicException>(() => key.ExportECPrivateKey());
            Assert.ThrowsExactly<CryptographicException>(() => key.ExportPkcs8PrivateKey());
            Assert.IsNull(key.ExportParameters(false).D);
        }

        // Not only our wrapper refuses: the provider key itself has no private part to give.
        lock (TpmOpenSslProvider.Gate)
        {
            using var evpKey = SafeEvpPKeyHandle.OpenKeyFromProvider("tpm2", $"handle:0x{handle:x8}");
            using var raw = new ECDsaOpenSsl(evpKey);
            var exported = TryExportPrivate(raw);
            Assert.IsNull(exported, "the provider handed out a private scalar");
        }
    }

    [TestMethod]
    public void CreateRefusesAKeyThatExistsAndSaysHowToRemoveIt()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        store.Create(GatewayKeyRole.Identity);
        var before = store.ExportSubjectPublicKeyInfo(GatewayKeyRole.Identity);

        var error = Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.Create(GatewayKeyRole.Identity));

        StringAssert.Contains(error.Message, "already exists");
        StringAssert.Contains(error.Message, $"tpm2_evictcontrol -C o -c 0x{store.HandleOf(GatewayKeyRole.Identity):x8}");
        CollectionAssert.AreEqual(before, store.ExportSubjectPublicKeyInfo(GatewayKeyRole.Identity), "the existing key was replaced");
    }

    [TestMethod]
    public void OpeningAMissingKeySaysHowToCreateIt()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();

        Assert.IsFalse(store.Exists(GatewayKeyRole.DeviceCa));
        var error = Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.Open(GatewayKeyRole.DeviceCa));
        StringAssert.Contains(error.Message, "iotsec-gateway keys init");
        Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.ExportSubjectPublicKeyInfo(GatewayKeyRole.DeviceCa));
    }

    [TestMethod]
    public void AHandleHoldingSomeoneElsesObjectIsNotUsedAsAGatewayKey()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        var tpm = SoftwareTpm.Shared;
        var handle = store.HandleOf(GatewayKeyRole.Identity);
        var context = Path.Combine(Path.GetTempPath(), $"iotsec-primary-{Guid.NewGuid():N}.ctx");
        try
        {
            // A restricted storage primary: the object ARCHITECTURE warns "cannot sign".
            tpm.Run("tpm2_createprimary", "-C", "o", "-G", "ecc256", "-c", context).EnsureSuccess();
            tpm.Run("tpm2_evictcontrol", "-C", "o", "-c", context, $"0x{handle:x8}").EnsureSuccess();
        }
        finally
        {
            File.Delete(context);
        }

        var info = store.Describe(GatewayKeyRole.Identity);
        Assert.IsNotNull(info);
        Assert.IsFalse(info.IsP256SigningKey);
        var error = Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.Open(GatewayKeyRole.Identity));
        StringAssert.Contains(error.Message, "not an ECC P-256 signing key");
        StringAssert.Contains(error.Message, "restricted");
        Assert.ThrowsExactly<GatewayKeyStoreException>(() => store.Create(GatewayKeyRole.Identity));
    }

    [TestMethod]
    public void ThePublicKeyMatchesTpm2ReadpublicAndVerifiesWhatTheKeySigns()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        store.Create(GatewayKeyRole.Identity);
        using var toolsKey = TpmTestSupport.ReadPublicWithTools(SoftwareTpm.Shared, store.HandleOf(GatewayKeyRole.Identity));
        using var key = store.Open(GatewayKeyRole.Identity);
        var data = Encoding.UTF8.GetBytes("heartbeat acknowledgement");

        var signature = key.SignData(data, HashAlgorithmName.SHA256);

        CollectionAssert.AreEqual(toolsKey.ExportSubjectPublicKeyInfo(), store.ExportSubjectPublicKeyInfo(GatewayKeyRole.Identity));
        CollectionAssert.AreEqual(toolsKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        Assert.IsTrue(toolsKey.VerifyData(data, signature, HashAlgorithmName.SHA256));
        Assert.IsTrue(key.VerifyData(data, signature, HashAlgorithmName.SHA256), "verification goes through the exported public key");
        data[0] ^= 1;
        Assert.IsFalse(key.VerifyData(data, signature, HashAlgorithmName.SHA256));
    }

    [TestMethod]
    public void OnlySha256IsSigned()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        store.Create(GatewayKeyRole.Identity);
        using var key = store.Open(GatewayKeyRole.Identity);

        Assert.ThrowsExactly<CryptographicException>(() => key.SignData([1, 2, 3], HashAlgorithmName.SHA384));
        Assert.ThrowsExactly<CryptographicException>(() => key.SignHash(new byte[48]));
        Assert.ThrowsExactly<NotSupportedException>(() => key.ImportParameters(ECDsa.Create().ExportParameters(true)));
    }

    [TestMethod]
    public void TheProviderVersionIsReadAtRunTimeAndDecidesTlsWithTheTpmKey()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();

        var provider = store.Provider;

        Assert.IsTrue(provider.IsAvailable, provider.Error);
        var listed = SoftwareTpm.Shared.Run("openssl", "list", "-providers", "-verbose", "-provider", "tpm2").EnsureSuccess().StandardOutput;
        StringAssert.Contains(listed, "version: " + provider.VersionText);
        Assert.IsNotNull(provider.Version);
        Assert.AreEqual(provider.Version >= new Version(1, 3, 0), store.SupportsTlsWithTpmKey);
    }

    [TestMethod]
    public void InvalidOptionsNameTheSetting()
    {
        var outOfRange = Assert.ThrowsExactly<GatewayKeyStoreException>(
            () => new TpmKeyStore(new TpmKeyStoreOptions { IdentityHandle = 0x8180_0000 }));
        StringAssert.Contains(outOfRange.Message, "IdentityHandle");
        var same = Assert.ThrowsExactly<GatewayKeyStoreException>(
            () => new TpmKeyStore(new TpmKeyStoreOptions { DeviceCaHandle = TpmKeyStoreOptions.DefaultIdentityHandle }));
        StringAssert.Contains(same.Message, "DeviceCaHandle");
        Assert.AreEqual(0x8100_0001u, TpmKeyStoreOptions.ParseHandle("0x81000001"));
        Assert.ThrowsExactly<FormatException>(() => TpmKeyStoreOptions.ParseHandle("0xZZ"));
    }

    private static string AttributesLine(string readPublic)
    {
        foreach (var line in readPublic.Split('\n'))
        {
            if (line.TrimStart().StartsWith("value:", StringComparison.Ordinal) && line.Contains("fixed", StringComparison.Ordinal))
            {
                return line;
            }
        }

        Assert.Fail("no attributes in tpm2_readpublic output: " + readPublic);
        return string.Empty;
    }

    private static byte[]? TryExportPrivate(ECDsaOpenSsl key)
    {
        try
        {
            return key.ExportParameters(true).D;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
