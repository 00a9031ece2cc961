"""The register of public opinion (tình hình tư tưởng, dư luận xã hội) and section I drafted from it."""
