using System;
using System.Formats.Asn1;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Tpm;
using IoTSec.Testing;

namespace IoTSec.Gateway.Tests.Tpm;

/// <summary>Shared steps of the TPM tests: stores on the shared software TPM with handles of their own.</summary>
[SupportedOSPlatform("linux")]
internal static class TpmTestSupport
{
    /// <summary>A key store on the shared software TPM whose two handles no other test uses.</summary>
    public static TpmKeyStore NewStoreOnSharedTpm(string? sealedDirectory = null)
    {
        SoftwareTpm.RequireOpenSslProvider();
        var tpm = SoftwareTpm.Shared;
        return new TpmKeyStore(new TpmKeyStoreOptions
        {
            Tcti = tpm.Tcti,
            IdentityHandle = tpm.NewPersistentHandle(),
            DeviceCaHandle = tpm.NewPersistentHandle(),
            SealedSecretsDirectory = sealedDirectory,
        });
    }

    /// <summary>The public key tpm2_readpublic prints for a handle (as PEM, read back by .NET).</summary>
    public static ECDsa ReadPublicWithTools(SoftwareTpm tpm, uint handle)
    {
        var pem = Path.Combine(Path.GetTempPath(), $"iotsec-readpublic-{Guid.NewGuid():N}.pem");
        try
        {
            tpm.Run("tpm2_readpublic", "-c", $"0x{handle:x8}", "-f", "pem", "-o", pem).EnsureSuccess();
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(pem));
            return key;
        }
        finally
        {
            File.Delete(pem);
        }
    }

    /// <summary>Checks a certificate's signature with a given key, from the DER (tbsCertificate, signatureValue).</summary>
    public static bool SignatureVerifies(X509Certificate2 certificate, ECDsa issuerKey)
    {
        var reader = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
        var tbs = reader.ReadEncodedValue();
        reader.ReadSequence(); // signatureAlgorithm
        var signature = reader.ReadBitString(out _);
        return issuerKey.VerifyData(tbs.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "iotsec-tpm-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
