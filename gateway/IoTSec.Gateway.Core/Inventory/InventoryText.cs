using System;
using System.Globalization;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// Validation and normal forms of the identifiers the inventory stores. Device ids and
/// classes end up in certificate subjects, MQTT topics, log lines and file names, so the
/// alphabet is small on purpose.
/// </summary>
public static class InventoryText
{
    /// <summary>Longest device id or class.</summary>
    public const int MaxIdentifierLength = 64;

    /// <summary>Longest free text (revocation reason, posture verdict, actor).</summary>
    public const int MaxFreeTextLength = 512;

    /// <summary>True when <paramref name="value"/> matches [A-Za-z0-9._-]{1,64}.</summary>
    public static bool IsValidIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxIdentifierLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns <paramref name="deviceId"/> or throws <see cref="InventoryErrorReason.InvalidDeviceId"/>.</summary>
    public static string RequireDeviceId(string? deviceId) =>
        IsValidIdentifier(deviceId)
            ? deviceId!
            : throw new InventoryException(InventoryErrorReason.InvalidDeviceId, $"invalid device id '{Printable(deviceId)}': expected 1 to 64 of A-Z a-z 0-9 . _ -");

    /// <summary>Returns <paramref name="deviceClass"/> or throws <see cref="InventoryErrorReason.InvalidDeviceClass"/>.</summary>
    public static string RequireDeviceClass(string? deviceClass) =>
        IsValidIdentifier(deviceClass)
            ? deviceClass!
            : throw new InventoryException(InventoryErrorReason.InvalidDeviceClass, $"invalid device class '{Printable(deviceClass)}': expected 1 to 64 of A-Z a-z 0-9 . _ -");

    /// <summary>
    /// Normalizes a SHA-256 fingerprint to 64 lowercase hex digits. Accepts colons between
    /// bytes as <c>openssl x509 -fingerprint -sha256</c> prints them.
    /// </summary>
    public static bool TryNormalizeSha256(string? value, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var hex = value.Trim().Replace(":", string.Empty, StringComparison.Ordinal);
        if (hex.Length != 64 || !IsHex(hex))
        {
            return false;
        }

        normalized = hex.ToLowerInvariant();
        return true;
    }

    /// <summary>Returns the normal form of a SHA-256 fingerprint or throws <see cref="InventoryErrorReason.InvalidFingerprint"/>.</summary>
    public static string RequireSha256(string? value) =>
        TryNormalizeSha256(value, out var normalized)
            ? normalized
            : throw new InventoryException(InventoryErrorReason.InvalidFingerprint, $"invalid SHA-256 fingerprint '{Printable(value)}': expected 64 hex digits (colons allowed)");

    /// <summary>
    /// Normalizes a certificate serial number to uppercase hex without separators and without
    /// leading zero bytes (the DER sign byte), so "00:1A:2B", "1a2b" and .NET's "001A2B" agree.
    /// </summary>
    public static bool TryNormalizeSerial(string? value, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var hex = value.Trim().Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (hex.Length == 0 || hex.Length > 64 || !IsHex(hex))
        {
            return false;
        }

        if (hex.Length % 2 == 1)
        {
            hex = "0" + hex;
        }

        var start = 0;
        while (start < hex.Length - 2 && hex[start] == '0' && hex[start + 1] == '0')
        {
            start += 2;
        }

        normalized = hex[start..];
        return true;
    }

    /// <summary>Returns the normal form of a serial number or throws <see cref="InventoryErrorReason.InvalidCertificate"/>.</summary>
    public static string RequireSerial(string? value) =>
        TryNormalizeSerial(value, out var normalized)
            ? normalized
            : throw new InventoryException(InventoryErrorReason.InvalidCertificate, $"invalid certificate serial '{Printable(value)}': expected up to 32 bytes of hex");

    /// <summary>Returns <paramref name="value"/> trimmed, or throws <see cref="InventoryErrorReason.InvalidText"/> when it is empty, too long or has control characters.</summary>
    public static string RequireFreeText(string? value, string what)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new InventoryException(InventoryErrorReason.InvalidText, $"{what} must not be empty");
        }

        if (trimmed.Length > MaxFreeTextLength)
        {
            throw new InventoryException(InventoryErrorReason.InvalidText, string.Create(CultureInfo.InvariantCulture, $"{what} is longer than {MaxFreeTextLength} characters"));
        }

        foreach (var c in trimmed)
        {
            // Control characters would let a reason forge extra lines in logs and terminals.
            if (char.IsControl(c))
            {
                throw new InventoryException(InventoryErrorReason.InvalidText, $"{what} must not contain control characters");
            }
        }

        return trimmed;
    }

    /// <summary>A short, printable rendering of untrusted input for error messages.</summary>
    internal static string Printable(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var shown = value.Length > 80 ? value[..80] + "…" : value;
        var chars = shown.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    private static bool IsHex(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
