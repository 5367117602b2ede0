namespace IoTSec.Gateway.Tpm;

/// <summary>TPM_ALG_ID values used here (TPM 2.0 Part 2, table "TPM_ALG_ID Constants").</summary>
internal static class TpmAlgorithm
{
    public const ushort Aes = 0x0006;
    public const ushort KeyedHash = 0x0008;
    public const ushort Sha256 = 0x000B;
    public const ushort Null = 0x0010;
    public const ushort Ecdsa = 0x0018;
    public const ushort Ecc = 0x0023;
    public const ushort Cfb = 0x0043;

    /// <summary>TPM_ECC_CURVE TPM_ECC_NIST_P256.</summary>
    public const ushort NistP256 = 0x0003;

    public static string Name(ushort algorithm) => algorithm switch
    {
        Aes => "aes",
        KeyedHash => "keyedhash",
        Sha256 => "sha256",
        Null => "null",
        Ecdsa => "ecdsa",
        Ecc => "ecc",
        Cfb => "cfb",
        _ => $"0x{algorithm:x4}",
    };
}
