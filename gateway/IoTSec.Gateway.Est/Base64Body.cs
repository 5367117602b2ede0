using System;
using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace IoTSec.Gateway.Est;

/// <summary>
/// EST's base64 bodies (RFC 7030 §4: "Content-Transfer-Encoding: base64", RFC 2045 §6.8):
/// decoding tolerates line breaks and spaces, encoding writes lines of 76 characters with CRLF.
/// </summary>
public static class Base64Body
{
    /// <summary>RFC 2045's longest encoded line.</summary>
    public const int LineLength = 76;

    private static readonly byte[] LineBreak = "\r\n"u8.ToArray();

    /// <summary>Decodes a base64 body, ignoring ASCII whitespace; null when it is not base64.</summary>
    public static byte[]? TryDecode(ReadOnlySpan<byte> body)
    {
        var compact = ArrayPool<byte>.Shared.Rent(Math.Max(body.Length, 1));
        try
        {
            var length = 0;
            foreach (var b in body)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    continue;
                }

                compact[length++] = b;
            }

            if (length == 0 || length % 4 != 0)
            {
                return null;
            }

            var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(length)];
            var status = Base64.DecodeFromUtf8(compact.AsSpan(0, length), decoded, out var consumed, out var written);
            if (status != OperationStatus.Done || consumed != length)
            {
                return null;
            }

            return decoded.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compact);
        }
    }

    /// <summary>
    /// Encodes <paramref name="data"/> as base64 ASCII bytes in lines of 76 characters, each
    /// ended by CRLF. Bytes rather than a string, so a caller encoding a private key can zero
    /// the result after writing it (a string cannot be wiped).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> data)
    {
        var encodedLength = Base64.GetMaxEncodedToUtf8Length(data.Length);
        var lines = (encodedLength + LineLength - 1) / LineLength;
        var flat = new byte[encodedLength];
        var output = new byte[encodedLength + (lines * LineBreak.Length)];
        try
        {
            Base64.EncodeToUtf8(data, flat, out _, out var written);
            var position = 0;
            for (var offset = 0; offset < written; offset += LineLength)
            {
                var count = Math.Min(LineLength, written - offset);
                flat.AsSpan(offset, count).CopyTo(output.AsSpan(position));
                position += count;
                LineBreak.CopyTo(output.AsSpan(position));
                position += LineBreak.Length;
            }

            // Padded base64 fills every line exactly as counted: position == output.Length.
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(flat);
        }
    }
}
