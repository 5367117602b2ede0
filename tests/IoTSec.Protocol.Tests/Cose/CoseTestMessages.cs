using System;
using System.Formats.Cbor;
using System.Security.Cryptography;
using IoTSec.Protocol.Cose;

namespace IoTSec.Protocol.Tests.Cose;

/// <summary>
/// Builds COSE_Sign1 messages with System.Formats.Cbor in shapes the portable encoder never
/// produces (headers in any bucket or order, duplicates, wrong types), correctly signed over
/// their Sig_structure so that only the property under test is wrong.
/// </summary>
internal static class CoseTestMessages
{
    public const string ContentType = "application/iotsec-manifest+cbor";

    /// <summary>Writes a header map from (label, value) pairs, as given (lax: any order).</summary>
    public static byte[] HeaderMap(params (object Label, object Value)[] entries)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        WriteMap(writer, entries);
        return writer.Encode();
    }

    /// <summary>18([protected, unprotected, payload, PS256 signature over the Sig_structure]).</summary>
    public static byte[] Build(byte[] protectedMap, (object Label, object Value)[] unprotected, byte[] payload, RSA signer, bool tagged = true)
    {
        var toBeSigned = CoseSign1.BuildToBeSigned(protectedMap, [], payload);
        var signature = signer.SignData(toBeSigned, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return Assemble(protectedMap, unprotected, payload, signature, tagged);
    }

    public static byte[] Assemble(byte[] protectedMap, (object Label, object Value)[] unprotected, byte[] payload, byte[] signature, bool tagged = true)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        if (tagged)
        {
            writer.WriteTag((CborTag)18);
        }

        writer.WriteStartArray(4);
        writer.WriteByteString(protectedMap);
        WriteMap(writer, unprotected);
        writer.WriteByteString(payload);
        writer.WriteByteString(signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static void WriteMap(CborWriter writer, (object Label, object Value)[] entries)
    {
        writer.WriteStartMap(entries.Length);
        foreach (var (label, value) in entries)
        {
            WriteValue(writer, label);
            WriteValue(writer, value);
        }

        writer.WriteEndMap();
    }

    private static void WriteValue(CborWriter writer, object value)
    {
        switch (value)
        {
            case int i:
                writer.WriteInt32(i);
                break;
            case string s:
                writer.WriteTextString(s);
                break;
            case byte[] b:
                writer.WriteByteString(b);
                break;
            case int[] array:
                writer.WriteStartArray(array.Length);
                foreach (int item in array)
                {
                    writer.WriteInt32(item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException("unsupported test value " + value);
        }
    }
}
