"""The federation's charter (public schema): dated versions per tier, the findings of the
nightly check, what each partner pushed of its bounded settings, and the partners' annual
reports. Reads only public tables."""
