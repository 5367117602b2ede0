using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Cli.Tests;

/// <summary>
/// The CA ceremony with the real <c>iotsec</c>: init makes the root, a gateway (software key
/// store) makes its CSR, sign makes its intermediate, and the gateway issues under it.
/// One root is made for the class (PBKDF2 with 600,000 iterations takes about a second).
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class CaCeremonyTests
{
    private const string Passphrase = "correct horse battery staple";
    private static string _work = null!;
    private static string _ca = null!;
    private static string _passphraseFile = null!;
    private static IotsecResult _init = null!;

    [ClassInitialize]
    public static void Setup(TestContext context)
    {
        _work = Path.Combine(Path.GetTempPath(), "iotsec-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_work);
        _ca = Path.Combine(_work, "ca");
        _passphraseFile = Path.Combine(_work, "passphrase.txt");
        File.WriteAllText(_passphraseFile, Passphrase + "\n");
        _init = IotsecProcess.Run(_work, "ca", "init", "--out", _ca, "--passphrase-file", _passphraseFile, "--organization", "Example Plant");
    }

    [ClassCleanup]
    public static void Cleanup() => Directory.Delete(_work, recursive: true);

    private static string RootPem => Path.Combine(_ca, "root.pem");

    private static string RootKey => Path.Combine(_ca, "root-key.pem");

    /// <summary>A gateway's CSR made the way the gateway makes it: its DeviceCa key in a key store.</summary>
    private static (SoftwareKeyStore Keys, string CsrPath) NewGateway(string name)
    {
        var keys = new SoftwareKeyStore(Path.Combine(_work, name, "keys"), allowSoftwareKeys: true);
        keys.Create(GatewayKeyRole.DeviceCa);
        var csrPath = Path.Combine(_work, name, "gateway.csr");
        File.WriteAllText(csrPath, GatewayIntermediateRequest.CreatePem(keys, GatewayIntermediateRequest.DefaultSubject(name)));
        return (keys, csrPath);
    }

    [TestMethod]
    public void InitMakesAnEncryptedP384RootKeyAndASelfSignedRoot()
    {
        Assert.AreEqual(0, _init.ExitCode, _init.ToString());
        StringAssert.Contains(_init.Stdout, "Offline root created");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(RootKey));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_ca));
        StringAssert.StartsWith(File.ReadAllText(RootKey), "-----BEGIN ENCRYPTED PRIVATE KEY-----");

        using var root = PemCertificateFile.Load(RootPem);
        Assert.AreEqual("CN=IoTSec Offline Root CA, O=Example Plant", root.Subject);
        Assert.AreEqual(root.Subject, root.Issuer);
        Assert.AreEqual(384, root.GetECDsaPublicKey()!.KeySize);
        StringAssert.Contains(_init.Stdout, root.GetCertHashString(HashAlgorithmName.SHA256), "the fingerprint to record");

        using var key = ECDsa.Create();
        key.ImportFromEncryptedPem(File.ReadAllText(RootKey), Passphrase);
        CollectionAssert.AreEqual(root.PublicKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
    }

    [TestMethod]
    public void RecoveryKeyIsAnRsa3072KeyTheRootCertifiesForBackupRecoveryOnly()
    {
        var recoveryPassphrase = Path.Combine(_work, "recovery-passphrase.txt");
        File.WriteAllText(recoveryPassphrase, "another long passphrase for recovery\n");

        var made = IotsecProcess.Run(_work, "ca", "recovery-key", "--ca", _ca, "--passphrase-file", _passphraseFile, "--recovery-passphrase-file", recoveryPassphrase);

        Assert.AreEqual(0, made.ExitCode, made.ToString());
        StringAssert.Contains(made.Stdout, "Backup recovery key created");
        var keyPath = Path.Combine(_ca, "recovery-key.pem");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        StringAssert.StartsWith(File.ReadAllText(keyPath), "-----BEGIN ENCRYPTED PRIVATE KEY-----");
        using var root = PemCertificateFile.Load(RootPem);
        using var recovery = PemCertificateFile.Load(Path.Combine(_ca, "recovery.pem"));
        RecoveryCertificate.Validate(recovery, root, DateTimeOffset.UtcNow);
        Assert.AreEqual(3072, recovery.GetRSAPublicKey()!.KeySize);
        Assert.IsTrue(RecoveryCertificate.IsRecoveryCertificate(recovery));

        var (verifyExit, verifyOutput) = IotsecProcess.OpenSsl("verify", "-CAfile", RootPem, Path.Combine(_ca, "recovery.pem"));
        Assert.AreEqual(0, verifyExit, verifyOutput);
        var (keyExit, keyOutput) = IotsecProcess.OpenSsl("pkey", "-in", keyPath, "-passin", "file:" + recoveryPassphrase, "-noout");
        Assert.AreEqual(0, keyExit, "OpenSSL opens the recovery key with its own passphrase: " + keyOutput);
        var (rootPassExit, _) = IotsecProcess.OpenSsl("pkey", "-in", keyPath, "-passin", "file:" + _passphraseFile, "-noout");
        Assert.AreNotEqual(0, rootPassExit, "the root's passphrase does not open the recovery key");

        var again = IotsecProcess.Run(_work, "ca", "recovery-key", "--ca", _ca, "--passphrase-file", _passphraseFile, "--recovery-passphrase-file", recoveryPassphrase);
        Assert.AreEqual(1, again.ExitCode);
        StringAssert.Contains(again.Stderr, "already holds a recovery key");
    }

    [TestMethod]
    public void OpenSslReadsTheRootKeyAndSeesPbes2WithAes256AndSixHundredThousandIterations()
    {
        var (exitCode, output) = IotsecProcess.OpenSsl("pkey", "-in", RootKey, "-passin", "file:" + _passphraseFile, "-noout", "-text_pub");
        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "NIST CURVE: P-384");

        var (parseExit, structure) = IotsecProcess.OpenSsl("asn1parse", "-in", RootKey);
        Assert.AreEqual(0, parseExit, structure);
        StringAssert.Contains(structure, "PBES2");
        StringAssert.Contains(structure, "aes-256-cbc");
        StringAssert.Contains(structure, "hmacWithSHA256");
        StringAssert.Contains(structure, ":0927C0", "600,000 iterations");
    }

    [TestMethod]
    public void SignCertifiesTheGatewayAndTheGatewayIssuesDevicesEveryVerifierAccepts()
    {
        var (keys, csr) = NewGateway("gw-plant-1");
        var intermediatePath = Path.Combine(_work, "gw-plant-1", "gateway-intermediate.pem");
        var expectedFingerprint = Convert.ToHexString(SHA256.HashData(keys.ExportSubjectPublicKeyInfo(GatewayKeyRole.DeviceCa)));

        var sign = IotsecProcess.Run(_work, "ca", "sign", "--ca", _ca, "--csr", csr, "--out", intermediatePath, "--yes", "--passphrase-file", _passphraseFile);

        Assert.AreEqual(0, sign.ExitCode, sign.ToString());
        StringAssert.Contains(sign.Stdout, "CN=gw-plant-1 Device CA, O=IoTSec", "the subject is shown");
        StringAssert.Contains(sign.Stdout, expectedFingerprint, "the key fingerprint is shown for comparison");
        using var intermediate = PemCertificateFile.Load(intermediatePath);
        StringAssert.Contains(File.ReadAllText(Path.Combine(_ca, "issued.log")), "serial=" + intermediate.SerialNumber);

        var (verifyExit, verifyOutput) = IotsecProcess.OpenSsl("verify", "-x509_strict", "-CAfile", RootPem, intermediatePath);
        Assert.AreEqual(0, verifyExit, verifyOutput);

        // The gateway loads what the ceremony produced and issues a device certificate.
        using var authority = GatewayCertificateAuthority.Load(RootPem, intermediatePath, keys);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var device = new DeviceCertificateIssuer(authority).IssueDeviceCertificate(
            "sensor-0001", new CertificateRequest("CN=sensor-0001", deviceKey, HashAlgorithmName.SHA256).CreateSigningRequest());
        var verdict = new ClientCertificateValidator(authority.Root, new InMemoryRevocationList(), [authority.Intermediate]).Validate(device);
        Assert.IsTrue(verdict.IsAccepted, verdict.ToString());

        var devicePath = Path.Combine(_work, "gw-plant-1", "device.pem");
        PemCertificateFile.Save(devicePath, device);
        var (leafExit, leafOutput) = IotsecProcess.OpenSsl("verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", RootPem, "-untrusted", intermediatePath, devicePath);
        Assert.AreEqual(0, leafExit, leafOutput);
    }

    [TestMethod]
    public void AWrongPassphraseIsAClearErrorAndSignsNothing()
    {
        var (_, csr) = NewGateway("gw-wrong-pass");
        var wrong = Path.Combine(_work, "wrong.txt");
        File.WriteAllText(wrong, "not the passphrase at all\n");
        var outPath = Path.Combine(_work, "gw-wrong-pass", "intermediate.pem");

        var result = IotsecProcess.Run(_work, "ca", "sign", "--ca", _ca, "--csr", csr, "--out", outPath, "--yes", "--passphrase-file", wrong);

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stderr, "error: cannot decrypt the root key");
        StringAssert.Contains(result.Stderr, "wrong passphrase");
        Assert.DoesNotContain("   at ", result.Stderr, "no stack trace for an operator error");
        Assert.IsFalse(File.Exists(outPath));
    }

    [TestMethod]
    public void MissingFilesAreNamedInTheError()
    {
        var noCsr = IotsecProcess.Run(_work, "ca", "sign", "--ca", _ca, "--csr", "absent.csr", "--out", "x.pem", "--yes", "--passphrase-file", _passphraseFile);
        Assert.AreEqual(1, noCsr.ExitCode, noCsr.ToString());
        StringAssert.Contains(noCsr.Stderr, "absent.csr' does not exist");

        var noCa = IotsecProcess.Run(_work, "ca", "sign", "--ca", Path.Combine(_work, "no-ca"), "--csr", "absent.csr", "--out", "x.pem", "--yes");
        Assert.AreEqual(1, noCa.ExitCode, noCa.ToString());
        StringAssert.Contains(noCa.Stderr, "no-ca' does not exist");

        var noPassphraseFile = IotsecProcess.Run(_work, "ca", "init", "--out", Path.Combine(_work, "ca-2"), "--passphrase-file", "absent.txt");
        Assert.AreEqual(1, noPassphraseFile.ExitCode, noPassphraseFile.ToString());
        StringAssert.Contains(noPassphraseFile.Stderr, "passphrase file");

        var usage = IotsecProcess.Run(_work, "ca", "sign", "--ca", _ca);
        Assert.AreNotEqual(0, usage.ExitCode, usage.ToString());
        StringAssert.Contains(usage.Stderr + usage.Stdout, "--csr");
    }

    [TestMethod]
    public void AMalformedOrForgedRequestIsRefusedWithItsReasonBeforeThePassphraseIsAsked()
    {
        var garbage = Path.Combine(_work, "garbage.csr");
        File.WriteAllBytes(garbage, [0x30, 0x82, 0x01, 0x00, 0x01, 0x02]);
        var malformed = IotsecProcess.Run(_work, "ca", "sign", "--ca", _ca, "--csr", garbage, "--out", "x.pem", "--yes");
        Assert.AreEqual(1, malformed.ExitCode, malformed.ToString());
        StringAssert.Contains(malformed.Stderr, "(Malformed)");

        using var claimed = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=gw-evil Device CA"), new PublicKey(claimed), HashAlgorithmName.SHA256);
        var forged = Path.Combine(_work, "forged.csr");
        File.WriteAllText(forged, PemEncoding.WriteString("CERTIFICATE REQUEST", request.CreateSigningRequest(X509SignatureGenerator.CreateForECDsa(signer))));
        var refused = IotsecProcess.Run(_work, "ca", "sign", "--ca", _ca, "--csr", forged, "--out", "x.pem", "--yes");
        Assert.AreEqual(1, refused.ExitCode, refused.ToString());
        StringAssert.Contains(refused.Stderr, "(SignatureInvalid)");
        Assert.IsFalse(File.Exists(Path.Combine(_work, "x.pem")));
    }

    [TestMethod]
    public void SigningWithoutYesNeedsATerminal()
    {
        var (_, csr) = NewGateway("gw-unconfirmed");
        var outPath = Path.Combine(_work, "gw-unconfirmed", "intermediate.pem");
        var result = IotsecProcess.Run(_work, "ca", "sign", "--ca", _ca, "--csr", csr, "--out", outPath, "--passphrase-file", _passphraseFile);

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "key SHA-256:", "the fingerprint is shown before asking");
        StringAssert.Contains(result.Stderr, "--yes");
        Assert.IsFalse(File.Exists(outPath));
    }

    [TestMethod]
    public void InitRefusesToOverwriteARootOrUseAShortPassphrase()
    {
        var again = IotsecProcess.Run(_work, "ca", "init", "--out", _ca, "--passphrase-file", _passphraseFile);
        Assert.AreEqual(1, again.ExitCode, again.ToString());
        StringAssert.Contains(again.Stderr, "already holds a root");

        var shortFile = Path.Combine(_work, "short.txt");
        File.WriteAllText(shortFile, "short\n");
        var weak = IotsecProcess.Run(_work, "ca", "init", "--out", Path.Combine(_work, "ca-weak"), "--passphrase-file", shortFile);
        Assert.AreEqual(1, weak.ExitCode, weak.ToString());
        StringAssert.Contains(weak.Stderr, "at least 12 characters");
        Assert.IsFalse(File.Exists(Path.Combine(_work, "ca-weak", "root-key.pem")));
    }
}
