using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>Reads and writes single PEM certificates (no keys: X509Certificate2.CreateFromPemFile looks for one in the same file).</summary>
public static class PemCertificateFile
{
    /// <summary>Loads the first certificate of the PEM file at <paramref name="path"/>.</summary>
    /// <exception cref="GatewayPkiException">The file is missing or holds no PEM certificate.</exception>
    public static X509Certificate2 Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new GatewayPkiException($"the certificate file '{path}' does not exist");
        }

        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (CryptographicException ex)
        {
            throw new GatewayPkiException($"'{path}' holds no PEM certificate: {ex.Message}", ex);
        }
    }

    /// <summary>Writes <paramref name="certificate"/> as PEM to <paramref name="path"/> (public: ordinary file mode).</summary>
    public static void Save(string path, X509Certificate2 certificate) =>
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
}
