"""The official Open-Sora code, read at run time: `git show v1.2.0:<file>` from the bare mirror into a temporary
package (nothing of it is committed here), and the stubs that stand in for packages a CPU forward or training
step never uses. Shared by tools/make_init_fixture.py and Benchmarks/training_step_torch.py."""
import pathlib, subprocess, sys, types

import torch.nn as nn

REF = "v1.2.0"


def module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


def extract(mirror, root, files):
    """Writes `files` under `root`, with an empty __init__.py in every package folder that has none."""
    root = pathlib.Path(root)
    for path in files:
        text = subprocess.run(["git", "-C", mirror, "show", f"{REF}:{path}"], check=True, capture_output=True,
                              text=True).stdout
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    for path in files:
        for folder in pathlib.PurePosixPath(path).parents:
            init = root / folder / "__init__.py"
            if str(folder) != "." and not init.exists():
                init.write_text("")


def transformers_stubs(**extra):
    """transformers' PretrainedConfig / PreTrainedModel as the reference's model classes subclass them."""
    class PretrainedConfig:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    class PreTrainedModel(nn.Module):
        def __init__(self, config, *a, **k):
            super().__init__()
            self.config = config

    module("transformers", PretrainedConfig=PretrainedConfig, PreTrainedModel=PreTrainedModel, **extra)


def timm_stubs():
    """timm's Mlp (0.9.16 timm/layers/mlp.py: drop 0, no norm) and DropPath (the reference uses drop_path 0)."""
    class Mlp(nn.Module):
        def __init__(self, in_features, hidden_features=None, out_features=None, act_layer=nn.GELU, drop=0.0, **_):
            super().__init__()
            out_features = out_features or in_features
            hidden_features = hidden_features or in_features
            self.fc1 = nn.Linear(in_features, hidden_features)
            self.act = act_layer()
            self.drop1 = nn.Dropout(drop)
            self.norm = nn.Identity()
            self.fc2 = nn.Linear(hidden_features, out_features)
            self.drop2 = nn.Dropout(drop)

        def forward(self, x):
            return self.drop2(self.fc2(self.norm(self.drop1(self.act(self.fc1(x))))))

    class DropPath(nn.Identity):
        pass

    module("timm")
    module("timm.models")
    module("timm.models.layers", DropPath=DropPath)
    module("timm.models.vision_transformer", Mlp=Mlp)
