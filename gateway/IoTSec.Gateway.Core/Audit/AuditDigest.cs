using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// The canonical encoding an entry's digest covers (version 1):
/// <code>
/// "IoTSec audit v1\n"
/// u64 sequence   i64 time (UTC Unix microseconds)          big-endian
/// u32 len ‖ kind   u32 len ‖ actor   u32 len ‖ subject   u32 len ‖ details   (UTF-8, big-endian lengths)
/// previous digest (32 bytes)
/// </code>
/// Length prefixes make the encoding injective: no two different entries encode alike, so
/// moving text from one field to the next changes the digest. The details are covered as
/// the exact stored text, so no JSON canonicalization is needed.
/// </summary>
public static class AuditDigest
{
    /// <summary>Length of a digest in bytes.</summary>
    public const int Length = 32;

    private static readonly byte[] DomainTag = "IoTSec audit v1\n"u8.ToArray();

    /// <summary>The "previous digest" of entry 1.</summary>
    public static ReadOnlyMemory<byte> Genesis { get; } = new byte[Length];

    /// <summary>Computes the digest of an entry with these fields.</summary>
    public static byte[] Compute(long sequence, long timeMicroseconds, string kind, string actor, string subject, string details, ReadOnlySpan<byte> previousDigest)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(details);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(DomainTag);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, sequence);
        hash.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, timeMicroseconds);
        hash.AppendData(number);
        AppendText(hash, kind);
        AppendText(hash, actor);
        AppendText(hash, subject);
        AppendText(hash, details);
        hash.AppendData(previousDigest);
        return hash.GetHashAndReset();
    }

    private static void AppendText(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
