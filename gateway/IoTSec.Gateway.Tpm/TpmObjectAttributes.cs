using System;
using System.Collections.Generic;

namespace IoTSec.Gateway.Tpm;

/// <summary>TPMA_OBJECT bits (TPM 2.0 Part 2), named as tpm2-tools prints them.</summary>
[Flags]
public enum TpmObjectAttributes : uint
{
    /// <summary>No attribute.</summary>
    None = 0,

    /// <summary>The object cannot be duplicated to another TPM.</summary>
    FixedTpm = 0x0000_0002,

    /// <summary>Saved contexts are lost at TPM Reset/Restart.</summary>
    StClear = 0x0000_0004,

    /// <summary>The object's parent cannot change.</summary>
    FixedParent = 0x0000_0010,

    /// <summary>The TPM generated the private part (it was never outside the TPM).</summary>
    SensitiveDataOrigin = 0x0000_0020,

    /// <summary>The user role may be authorised by the object's auth value.</summary>
    UserWithAuth = 0x0000_0040,

    /// <summary>The admin role needs a policy.</summary>
    AdminWithPolicy = 0x0000_0080,

    /// <summary>Not subject to dictionary-attack protection.</summary>
    NoDa = 0x0000_0400,

    /// <summary>Duplication needs an inner wrapper.</summary>
    EncryptedDuplication = 0x0000_0800,

    /// <summary>Signs or decrypts only TPM-formatted data (a storage key or an attestation key).</summary>
    Restricted = 0x0001_0000,

    /// <summary>A decryption (or storage) key.</summary>
    Decrypt = 0x0002_0000,

    /// <summary>A signing key.</summary>
    Sign = 0x0004_0000,
}

/// <summary>Formats <see cref="TpmObjectAttributes"/> the way tpm2-tools does ("fixedtpm|fixedparent|...").</summary>
public static class TpmObjectAttributesFormat
{
    private static readonly (TpmObjectAttributes Flag, string Name)[] Names =
    [
        (TpmObjectAttributes.FixedTpm, "fixedtpm"),
        (TpmObjectAttributes.StClear, "stclear"),
        (TpmObjectAttributes.FixedParent, "fixedparent"),
        (TpmObjectAttributes.SensitiveDataOrigin, "sensitivedataorigin"),
        (TpmObjectAttributes.UserWithAuth, "userwithauth"),
        (TpmObjectAttributes.AdminWithPolicy, "adminwithpolicy"),
        (TpmObjectAttributes.NoDa, "noda"),
        (TpmObjectAttributes.EncryptedDuplication, "encryptedduplication"),
        (TpmObjectAttributes.Restricted, "restricted"),
        (TpmObjectAttributes.Decrypt, "decrypt"),
        (TpmObjectAttributes.Sign, "sign"),
    ];

    /// <summary>The names of the set bits joined by '|'; unknown bits in hexadecimal.</summary>
    public static string ToToolsString(this TpmObjectAttributes attributes)
    {
        var parts = new List<string>();
        var rest = attributes;
        foreach (var (flag, name) in Names)
        {
            if ((attributes & flag) != 0)
            {
                parts.Add(name);
                rest &= ~flag;
            }
        }

        if (rest != 0)
        {
            parts.Add($"0x{(uint)rest:x8}");
        }

        return string.Join('|', parts);
    }
}
