namespace Bulwark.LogGen.Plant;

public enum PlantKind
{
    Attack,
    Decoy,
}
