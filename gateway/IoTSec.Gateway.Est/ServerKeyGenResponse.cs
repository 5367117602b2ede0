using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IoTSec.Gateway.Est;

/// <summary>
/// The body of a serverkeygen response (RFC 7030 §4.4.2): multipart/mixed with the private key
/// (application/pkcs8, base64 DER PKCS#8) first and the certificate (certs-only, base64)
/// second. The key is not encrypted further: it travels only inside the mutual-TLS session
/// that authenticated the device (the RFC allows that when no key-encryption was asked for).
/// </summary>
/// <remarks>
/// Why serverkeygen exists here at all: nanoFramework has no key generation (ARCHITECTURE:
/// "No managed … key generation or CSR API on the device"), so a device without a hardware
/// key generator gets its operational key from the gateway, over the TLS session of its birth
/// (or current operational) certificate. The gateway writes the key into the response and
/// forgets it: it is never stored, logged or audited, and its buffers are zeroed after writing.
/// </remarks>
public static class ServerKeyGenResponse
{
    /// <summary>The Content-Type for a given boundary.</summary>
    public static string ContentType(string boundary) => "multipart/mixed; boundary=" + boundary;

    /// <summary>A random boundary that cannot occur in base64 text (it contains '-' runs and '_').</summary>
    public static string NewBoundary() => "est-serverkeygen_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Writes the two parts to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, string boundary, ECDsa key, byte[] certsOnly, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(certsOnly);
        var pkcs8 = key.ExportPkcs8PrivateKey();
        byte[]? encodedKey = null;
        try
        {
            encodedKey = Base64Body.Encode(pkcs8);
            await WriteAsciiAsync(output, $"--{boundary}\r\nContent-Type: {EstProtocol.Pkcs8MediaType}\r\nContent-Transfer-Encoding: base64\r\n\r\n", cancellation).ConfigureAwait(false);
            await output.WriteAsync(encodedKey, cancellation).ConfigureAwait(false);
            await WriteAsciiAsync(output, $"--{boundary}\r\nContent-Type: {EstProtocol.CertsOnlyContentType}\r\nContent-Transfer-Encoding: base64\r\n\r\n", cancellation).ConfigureAwait(false);
            await output.WriteAsync(Base64Body.Encode(certsOnly), cancellation).ConfigureAwait(false);
            await WriteAsciiAsync(output, $"--{boundary}--\r\n", cancellation).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            if (encodedKey is not null)
            {
                CryptographicOperations.ZeroMemory(encodedKey);
            }
        }
    }

    private static ValueTask WriteAsciiAsync(Stream output, string text, CancellationToken cancellation) =>
        output.WriteAsync(Encoding.ASCII.GetBytes(text), cancellation);
}
