namespace IoTSec.Gateway.Core.Pki;

/// <summary>The kind of public key in a signing request.</summary>
public enum SigningRequestKeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256.</summary>
    EcdsaP256 = 1,

    /// <summary>ECDSA on NIST P-384.</summary>
    EcdsaP384 = 2,

    /// <summary>RSA (size in <see cref="SigningRequestKey.Bits"/>).</summary>
    Rsa = 3,
}

/// <summary>Algorithm and size of a signing request's key.</summary>
/// <param name="Algorithm">The algorithm.</param>
/// <param name="Bits">Key size in bits.</param>
public readonly record struct SigningRequestKey(SigningRequestKeyAlgorithm Algorithm, int Bits)
{
    /// <summary>For people: "ECDSA P-256", "RSA 2048".</summary>
    public override string ToString() => Algorithm switch
    {
        SigningRequestKeyAlgorithm.EcdsaP256 => "ECDSA P-256",
        SigningRequestKeyAlgorithm.EcdsaP384 => "ECDSA P-384",
        _ => $"RSA {Bits}",
    };
}
