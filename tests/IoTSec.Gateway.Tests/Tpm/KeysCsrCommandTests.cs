using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tpm;

/// <summary>
/// `iotsec-gateway keys csr`: the gateway's half of the CA ceremony. The request must be
/// signed inside the TPM by the device-issuing CA key, and a foreign tool must accept it.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class KeysCsrCommandTests
{
    [TestMethod]
    public void CsrIsSignedByTheTpmCaKey_AndOpenSslVerifiesIt()
    {
        SoftwareTpm.RequireOpenSslProvider();
        var openssl = RequiredComponent.Executable("openssl", "openssl");
        var tpm = SoftwareTpm.Shared;
        var identity = tpm.NewPersistentHandle();
        var deviceCa = tpm.NewPersistentHandle();
        string[] target = ["--tcti", tpm.Tcti, "--identity-handle", $"0x{identity:x8}", "--device-ca-handle", $"0x{deviceCa:x8}"];
        var work = Directory.CreateTempSubdirectory("keys-csr-");
        try
        {
            var csrPath = Path.Combine(work.FullName, "gateway.csr");
            Assert.AreEqual(0, KeysCommandTests.Invoke(["keys", "init", .. target]).ExitCode);

            var csr = KeysCommandTests.Invoke(["keys", "csr", .. target, "--gateway-name", "plant-7", "--out", csrPath]);

            Assert.AreEqual(0, csr.ExitCode, csr.Error);
            var request = CertificateRequest.LoadSigningRequestPem(
                File.ReadAllText(csrPath), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
            using var store = new TpmKeyStore(new TpmKeyStoreOptions { Tcti = tpm.Tcti, IdentityHandle = identity, DeviceCaHandle = deviceCa });
            CollectionAssert.AreEqual(
                store.ExportSubjectPublicKeyInfo(GatewayKeyRole.DeviceCa),
                request.PublicKey.ExportSubjectPublicKeyInfo(),
                "the CSR must carry the TPM CA key");
            StringAssert.Contains(request.SubjectName.Name, "plant-7");

            var verify = Est.ProcessTool.Run(openssl, work.FullName, "req", "-in", csrPath, "-noout", "-verify");
            Assert.AreEqual(0, verify.ExitCode, verify.Error);
            StringAssert.Contains(verify.Output + verify.Error, "verify OK", StringComparison.Ordinal);

            var again = KeysCommandTests.Invoke(["keys", "csr", .. target, "--out", csrPath]);
            Assert.AreEqual(1, again.ExitCode, "an existing file must not be overwritten");
            StringAssert.Contains(again.Error, "refusing to overwrite");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
