/// FERLab's version: `ferlab --version`, and the session header (results are
/// promised bit-identical only between recordings of the same version).
public enum FERLabVersion {
  public static let current = "0.3.0"
}
