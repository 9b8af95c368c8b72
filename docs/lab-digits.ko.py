# %% [markdown]
# # 실습: 손글씨 숫자 인식
#
# 이 분류 실습에서는 분류기를 처음부터 끝까지 학습시킨다. 먼저 손으로 쓴 숫자의 8 × 8 이미지를 읽고 그것이
# 열 개의 숫자 가운데 무엇인지 알아맞히는 모델을 만들고, 다음으로 유방 종괴(혹)를 잰 값 30개를 읽고 그 종괴가
# 악성인지 판정하는 모델을 만든다. 그 과정에서 학습률과 에포크 수를 검증용 데이터로 고르고, 학습된 모델의
# 속과 모델의 실수를 들여다보며, 분류기의 결정 임계값이 정해진 상수가 아니라 선택이라는 것을 보인다.
# 이 실습이 쓰는 [소프트맥스](../glossary/#softmax), [교차 엔트로피](../glossary/#cross-entropy),
# `nn.BCEWithLogitsLoss`는 [분류 장](../classification/)에서 설명한다. 끝에는
# 연습문제 두 개가 있고, 문제마다 풀이와 답을 확인하는 코드가 딸려 있다.
#
# 이 실습은 노트북이다. 페이지 제목 아래의 링크에서 노트북을 내려받거나 Colab에서 열어 실행한다. 첫
# 코드 셀이 데이터 파일 두 개, `digits.csv`와 `breast_cancer.csv`를 책의 사이트에서 내려받아 노트북
# 옆의 `data`라는 폴더에 넣는다. 파일이 이미 있으면 내려받지 않는다(오프라인에서 작업하려면 같은
# 링크에서 두 파일을 미리 내려받아 그 폴더에 넣어 둔다). 책의 저장소를 클론했다면 저장소 최상위
# 폴더에서 `python docs/lab-digits.py`(한국어판은 `python docs/lab-digits.ko.py`)를 실행해도 된다.
# 두 데이터셋이 무엇이고 어디에서 왔으며 어떤 문제가 있는지는 저장소의 `data/README.md`에 설명되어 있다.
#
# 데이터: UCI 머신러닝 저장소의 *Optical Recognition of Handwritten Digits*(E. Alpaydin, C. Kaynak,
# 1998)와 *Breast Cancer Wisconsin (Diagnostic)*(W. H. Wolberg, W. N. Street, O. L. Mangasarian,
# 1995)를 scikit-learn에 들어 있는 사본으로 쓴다. 우리가 아는 한 UCI는 두 데이터셋을 CC BY 4.0으로
# 제공한다(자세한 조건과 바꾼 내용은 `data/README.md`에 있다).

# %%
import copy
import hashlib
import math
import os
import urllib.request
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.optim import Adam

# Jupyter에서 그림을 선명하게 그린다(스크립트로 실행하면 다음 줄은 주석일 뿐):
# %config InlineBackend.figure_formats = ["retina"]

# 데이터 파일을 하나씩 검사한다. 아직 없으면 먼저 책의 사이트에서
# 내려받는다(BOOK_URL로 미러를 지정할 수 있다). 내려받지 못했거나 파일이
# 책의 것과 다르면, 나중에 원인을 알기 어려운 오류를 내는 대신 여기서
# 분명한 메시지를 내고 멈춘다.
DIGITS = Path("data/digits.csv")
BREAST_CANCER = Path("data/breast_cancer.csv")
SHA256 = {
    DIGITS: "592cc047d0a1cc7fdef9fd724514209dcb45a80aa147dc3ab375e3e1a9a380f4",
    BREAST_CANCER:
        "3df6821a97b59154efb1f79fbd20883f99751d5c12b381d2d1ca045061ab5db0",
}
BOOK_URL = os.environ.get(
    "BOOK_URL", "https://deep-learning-with-pytorch.github.io/book/")
for path, expected in SHA256.items():
    if not path.is_file():
        url = f"{BOOK_URL.rstrip('/')}/data/{path.name}"
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                content = response.read()
        except OSError as error:
            raise FileNotFoundError(
                f"{path.resolve()} 파일이 없고, {url}에서 내려받지도 못했다"
                f"({error}). 오프라인인가? 실습 페이지에서 {path.name} 파일을"
                " 내려받아 노트북 옆의 data 폴더에 넣어라."
            ) from None
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
        raise ValueError(f"{path.resolve()} 파일이 책에 실린 파일과 다르다"
                         "(SHA-256). 지우고 다시 실행하면 새로 내려받는다")

# %% [markdown]
# ## 숫자 데이터
#
# 1,797개의 행은 각각 손으로 쓴 숫자 하나를 스캔해 8 × 8 픽셀로 줄인 것이다. 각 픽셀은 원래 스캔의
# 4 × 4 블록에 있는 16개 픽셀 가운데 잉크가 묻은 픽셀의 수로, 0(빈칸)부터 16까지의 정수이다. 열
# `pixel_0_0`부터 `pixel_7_7`까지가 픽셀을 한 행씩 차례로 담고, `digit` 열이 쓴 숫자를 담는다. 16으로
# 나누면 모든 픽셀이 0과 1 사이에 들어오므로 어떤 피쳐도 다른 피쳐를 압도하지 않고, 모델이 스케일에 대해
# 따로 배울 것도 없다(세 픽셀은 모든 이미지에서 비어 있고, 하나는 아래의 학습용 데이터의 모든 이미지에서
# 비어 있어서, 이 네 픽셀을 [표준화](../glossary/#standardisation)하면 0으로 나누게 된다).

# %%
digits = pd.read_csv(DIGITS)
images = torch.tensor(digits.drop(columns="digit").to_numpy() / 16,
                      dtype=torch.float32)
labels = torch.tensor(digits["digit"].to_numpy())
print(f"images {tuple(images.shape)}, labels {tuple(labels.shape)}")
print("images per digit:", torch.bincount(labels).tolist())

# %% [markdown]
# ## 학습용, 검증용, 테스트용 데이터
#
# 층화 분할(stratified split)을 한다. 숫자마다 그 숫자의 이미지를 (시드를 고정해) 섞은 뒤 따로 60/20/20으로
# 자르므로, 모든 숫자가 각 분할에서 같은 비율을 차지한다. 학습용 데이터로는 가중치를 맞추고, 검증용 데이터로는
# 그 밖의 모든 것(학습률, 에포크 수, 어떤 모델을 쓸지)을 고른다. 테스트용 데이터는 맨 마지막에 한 번만 써서,
# 고른 모델이 어떤 선택에도 관여하지 않은 숫자에서 얼마나 잘하는지 보고한다.

# %%
def stratified_split(labels, seed=0):
    """학습용, 검증용, 테스트용 데이터의 행 번호. 클래스마다 그 클래스의
    행을 섞은 뒤 따로 60/20/20으로 자른다."""
    generator = torch.Generator().manual_seed(seed)
    parts = {"train": [], "validation": [], "test": []}
    for label in labels.unique():
        rows = torch.nonzero(labels == label).squeeze(1)
        rows = rows[torch.randperm(len(rows), generator=generator)]
        fifth = round(len(rows) / 5)
        parts["test"].append(rows[:fifth])
        parts["validation"].append(rows[fifth:2 * fifth])
        parts["train"].append(rows[2 * fifth:])
    return {name: torch.cat(rows).sort().values
            for name, rows in parts.items()}


digit_rows = stratified_split(labels)
digit_splits = {name: (images[rows], labels[rows])
                for name, rows in digit_rows.items()}
for name, (x, y) in digit_splits.items():
    shares = torch.bincount(y) / len(y)
    print(f"{name:10}: {len(y):4} images, each digit "
          f"{100 * shares.min():.1f}-{100 * shares.max():.1f} %")

# %% [markdown]
# ## 모든 모델을 위한 학습 루프 하나
#
# 데이터가 작으므로 한 에포크는 Adam으로 하는 전체 배치 경사하강법 한 스텝이다. 학습용 이미지 1,079개를
# 모두 한꺼번에 쓰므로 `DataLoader`가 필요 없다(데이터가 배치 하나에 들어가지 않을 때 쓰는
# `DataLoader`는 [분류 장](../classification/#data-a-dataset-and-a-dataloader)에서 보인다). 루프는 스텝마다 그 직전에, 같은 가중치로 학습용 데이터와 검증용
# 데이터의 손실과 정확도를 재고, 지금까지 검증 손실이 가장 낮았던 가중치의 복사본을 남겨 둔다. 그래서
# 루프가 끝나면 가장 좋은 에포크 수만큼 학습한 모델을 돌려주고, 학습 곡선은 전체 과정을 보여 준다. 아래의
# 이진 분류기도 같은 루프로 학습한다. 이진 분류기는 로짓 하나를 내며, 그 값이 0보다 크면 1로 판정한다.

# %%
def accuracy(logits, targets):
    """맞힌 예측의 비율. 예측은 로짓이 가장 큰 클래스이고, 로짓이 하나면
    그 값이 0보다 클 때 1이다."""
    if logits.shape[1] == 1:
        predicted = (logits > 0).float()
    else:
        predicted = logits.argmax(dim=1)
    return (predicted == targets).float().mean().item()


def train(model, loss_fn, splits, lr, epochs):
    """전체 배치 Adam으로 학습한다. 검증 손실이 가장 낮았던 에포크의
    모델, 그 에포크, 학습 곡선을 돌려준다."""
    optimizer = Adam(model.parameters(), lr=lr)
    x, y = splits["train"]
    x_validation, y_validation = splits["validation"]
    curves = {"train loss": [], "validation loss": [],
              "train accuracy": [], "validation accuracy": []}
    for epoch in range(epochs):
        model.eval()  # 모델을 실제로 쓸 때처럼 잰다
        with torch.no_grad():
            logits = model(x_validation)
            curves["validation loss"].append(
                loss_fn(logits, y_validation).item())
            curves["validation accuracy"].append(
                accuracy(logits, y_validation))
        if curves["validation loss"][-1] == min(curves["validation loss"]):
            best_epoch, best_state = epoch, copy.deepcopy(model.state_dict())
        model.train()
        optimizer.zero_grad()
        logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        curves["train loss"].append(loss.item())
        curves["train accuracy"].append(accuracy(logits.detach(), y))
    model.load_state_dict(best_state)
    model.eval()
    return model, best_epoch, curves

# %% [markdown]
# 각 곡선에서 인덱스 *k*의 값은 *k* 스텝 뒤의 가중치로 잰 것이다. 따라서 돌려주는 에포크 *k*는 남겨 둔
# 모델이 학습한 에포크 수(전체 배치 스텝 수)이며, 0이면 학습하지 않은 모델이라는 뜻이다.
#
# ## 소프트맥스 회귀
#
# 64개 픽셀에 대한 가장 단순한 분류기인 소프트맥스 회귀(softmax regression)는 선형 층 하나,
# `nn.Linear(64, 10)`이다. 이 층은 숫자마다 로짓 하나, 곧 픽셀의 가중합에 절편을 더한 값을 낸다.
# `nn.CrossEntropyLoss`가 열 개의 로짓에 소프트맥스를 직접 적용하고 정답 숫자의 확률에 음의 로그를
# 취하므로, 모델은 확률이 아니라 로짓을 내놓는다. 학습률은 얼마로 할까? 검증용 데이터가 정한다. 다음 셀은
# 학습률 네 개로 각각 최대 300에포크까지 모델을 학습시키고, 학습률마다 검증 손실이 가장 낮았던 에포크를
# 남겨 둔 뒤, 검증 손실의 최솟값이 가장 작은 학습률을 고른다.

# %%
EPOCHS = 300
RATES = [0.01, 0.03, 0.1, 0.3]
cross_entropy = nn.CrossEntropyLoss()


def choose(make_model, loss_fn, splits):
    """학습률마다 (시드를 고정해) 새 모델을 학습시킨다. 검증 손실의
    최솟값이 가장 작은 학습률과 그 모델, 에포크, 학습 곡선을 돌려준다."""
    runs = {}
    for lr in RATES:
        torch.manual_seed(0)
        runs[lr] = train(make_model(), loss_fn, splits, lr, EPOCHS)
    for lr, (model, epoch, curves) in runs.items():
        print(f"LR {lr:<4}: best validation loss "
              f"{curves['validation loss'][epoch]:.3f} after {epoch:3} "
              f"epochs, validation accuracy "
              f"{100 * curves['validation accuracy'][epoch]:.1f} %")
    lr = min(runs, key=lambda lr: runs[lr][2]["validation loss"][runs[lr][1]])
    return lr, *runs[lr]


softmax_lr, softmax_model, softmax_epochs, softmax_curves = choose(
    lambda: nn.Linear(64, 10), cross_entropy, digit_splits)
print(f"chosen: LR {softmax_lr}, {softmax_epochs} epochs")

# %% [markdown]
# 낮은 두 학습률에서는 마지막으로 잰 에포크에서도 검증 손실이 아직 내려가고 있다(가장 좋은 에포크가
# 마지막 에포크이다). 0.1은 더 낮은 손실에 이르고, 0.3은 겨우 37에포크 만에 그보다 더 낮아진다. 고른
# 학습률이 시도한 것 가운데 가장 높으므로, 더 높은 학습률이 더 나을 수도 있다. 학습률 탐색(sweep)이 고른
# 값이 범위의 끝에 있으면 범위를 넓히라는 신호이다. 1.0까지 넓혀 보면 더 낫지 않다. 1.0에서 검증 손실의
# 최솟값은 0.181로, 0.3의 0.110(그리고 0.1의 0.117)보다 나쁘다.
#
# ## 은닉층: 직접 만드는 `nn.Module`
#
# 소프트맥스 회귀는 64차원 이미지 공간에서 숫자들 사이에 곧은 경계(초평면)만 그을 수 있다. ReLU를 쓰는
# 뉴런 64개짜리 은닉층을 두면 모델이 결정하기 전에 획들을 조합할 수 있다. `nn.Module`의 서브클래스로
# 작성한다. 층은 `__init__`에서 만들며, 그러면 층의 파라미터가 모델에 등록된다. `forward`는 입력이 층들을
# 어떻게 지나가는지 정한다.

# %%
class DigitNet(nn.Module):
    """픽셀 64개 -> ReLU를 쓰는 은닉 뉴런 64개 -> 로짓 10개."""

    def __init__(self, hidden=64):
        super().__init__()
        self.hidden = nn.Linear(64, hidden)
        self.output = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


mlp_lr, mlp_model, mlp_epochs, mlp_curves = choose(
    DigitNet, cross_entropy, digit_splits)
print(f"chosen: LR {mlp_lr}, {mlp_epochs} epochs")
parameters = {name: sum(p.numel() for p in model.parameters())
              for name, model in [("softmax regression", softmax_model),
                                  ("DigitNet", mlp_model)]}
print("parameters:", parameters)

# %% [markdown]
# 이 신경망에는 가장 높은 학습률이 너무 높다. 0.3에서는 가장 좋은 에포크의 검증 정확도가 81.1%에
# 그치고, 가장 낮은 학습률 0.01이 가장 좋다. 이번에도 범위의 끝이므로 탐색 범위를 아래로 넓혀야 한다.
# 0.003에서는 300에포크를 다 채운 뒤의 검증 손실 최솟값이 0.125로, 0.01의 0.124보다 낫지 않다. 이
# 신경망의 파라미터는 4,810개이고 학습용 이미지는 1,079개이다. 소프트맥스 회귀의 파라미터는 650개이다.
#
# 아래는 고른 두 실행의 학습 곡선으로, 300에포크 전체를 보여 준다. 점선은 각 모델을 남겨 둔 에포크이다.

# %% alt="300에포크 동안의 학습 곡선. 왼쪽은 로그 스케일의 교차 엔트로피, 오른쪽은 정확도이며, 실선은 학습용 데이터, 파선은 검증용 데이터이다. 두 모델 모두 손실 약 2.3에서 시작한다. 정확도 축은 0.80부터 1.00까지여서, 정확도 곡선은 그림 아래에서 시작해 처음 15에포크 안에 그림 안으로 들어온다. 소프트맥스 회귀(파란색)는 너무 긴 첫 스텝 뒤에 손실이 약 3으로 뛰었다가 처음 25에포크 동안 들쭉날쭉 내려간다. 검증 손실은 37에포크 뒤에 가장 낮은 0.110이 되고(점선) 끝에는 0.131로 오르며, 학습 손실은 0.013까지 내려간다. DigitNet(주황색)은 매끄럽게 내려간다. 검증 손실은 71에포크 뒤에 가장 낮은 0.124가 되고 끝에는 0.134이며, 학습 손실은 0.003까지 내려가고 학습 정확도는 100%에 이른다. 검증 정확도는 끝에 각각 95.8%, 96.1%이다."
fig, (loss_ax, accuracy_ax) = plt.subplots(1, 2, figsize=(8, 3.6),
                                           layout="constrained")
epochs = range(EPOCHS)
for name, curves, kept, color in [
        ("softmax regression", softmax_curves, softmax_epochs, "#0072B2"),
        ("DigitNet", mlp_curves, mlp_epochs, "#D55E00")]:
    for split, style in [("train", "-"), ("validation", "--")]:
        loss_ax.plot(epochs, curves[f"{split} loss"], style, color=color,
                     label=f"{name}, {split}")
        accuracy_ax.plot(epochs, curves[f"{split} accuracy"], style,
                         color=color)
    for ax in (loss_ax, accuracy_ax):
        ax.axvline(kept, color=color, linestyle=":")
loss_ax.set(xlabel="epoch", ylabel="cross-entropy", yscale="log",
            title="loss")
accuracy_ax.set(xlabel="epoch", ylabel="accuracy", ylim=(0.8, 1.005),
                title="accuracy")
loss_ax.legend()
plt.show()

# %% [markdown]
# 두 모델 모두 곧 학습용 이미지에 점점 더 잘 맞는다. 그러나 검증 손실은 가장 낮은 점을 지나면 다시 조금씩
# 올라간다. 그 점을 지나면 모델이 다른 이미지에는 통하지 않는 학습용 이미지의 세부까지 배우기
# 때문이다([과적합](../glossary/#overfitting)). 검증 손실이 가장 낮았던 에포크의 가중치를 남겨 두는 것([조기
# 종료](../glossary/#early-stopping))이 에포크 수를 고른 방법이다. 검증 정확도는 이미지 한 장, 곧 0.28%
# 단위로 움직이며, 손실과는 다른 에포크에서 가장 높다. 예측마다 얼마나 확신하는지까지 반영하는 손실이 더
# 안정된 길잡이이다.
#
# ## 소프트맥스 회귀가 배운 것
#
# 선형 층의 가중치는 열 개 행으로 되어 있다. 각 행에는 픽셀마다 가중치가 하나씩 있으므로 8 × 8 이미지로
# 그릴 수 있다. 모델이 이미지에 픽셀 단위로 맞대어 보는 틀(템플릿)이다. 양의 가중치(주황색)가 붙은 픽셀에
# 잉크가 있으면 그 숫자의 로짓이 올라가고, 음의 가중치(보라색)가 붙은 픽셀에 잉크가 있으면 내려간다.

# %% alt="소프트맥스 회귀 가중치의 열 개 행을 숫자 0부터 9까지 하나씩 8 × 8 이미지로 그린 것. 양의 가중치는 주황색, 음의 가중치는 보라색이며, 색의 범위는 모두 약 -7부터 +7까지로 같다. 대부분의 가중치는 ±3 안에 있다. 절댓값이 가장 큰 가중치인 숫자 8의 +7.4와 +6.8, 숫자 4의 +7.0, 숫자 7의 -7.0은 학습용 이미지 1,079장 가운데 많아야 4장에만 잉크가 있는 왼쪽과 오른쪽 가장자리 픽셀에 있다. 숫자 0의 가중치는 가운데 세로줄을 따라 음수인데, 0은 그 자리가 비어 있다."
weights = softmax_model.weight.detach().reshape(10, 8, 8).numpy()
limit = np.abs(weights).max()
fig, axes = plt.subplots(2, 5, figsize=(7.5, 3.5), layout="constrained")
for digit, ax in enumerate(axes.flat):
    shown = ax.imshow(weights[digit], cmap="PuOr_r", vmin=-limit,
                      vmax=limit)
    ax.set(title=f"digit {digit}", xticks=[], yticks=[])
fig.colorbar(shown, ax=axes, shrink=0.8, label="weight")
plt.show()
inked = (digit_splits["train"][0] > 0).sum(dim=0).reshape(8, 8)
for index in np.argsort(-np.abs(weights), axis=None)[:4]:
    digit, row, column = np.unravel_index(index, weights.shape)
    print(f"digit {digit}, pixel ({row}, {column}): weight "
          f"{weights[digit, row, column]:+.1f}, inked in "
          f"{inked[row, column]} of {len(digit_splits['train'][1])} "
          "training images")

# %% [markdown]
# 어떤 행은 틀로 읽힌다. 0의 가중치는 가운데를 따라 음수인데, 0은 가운데가 비어 있으므로 거기에 잉크가
# 있으면 0이 아니라는 증거가 된다. 하지만 가장 큰 가중치들은 학습용 이미지에 잉크가 거의 없는 곳, 곧
# 왼쪽과 오른쪽 가장자리의 픽셀에 있다(위 셀이 출력한 대로, 각 픽셀에 잉크가 있는 학습용 이미지는 많아야
# 4장이다). 이 가중치들은 그 픽셀에 잉크가 있는 이미지에서만 작용한다. 이렇게 커진 것은
# [Adam](../glossary/#adam) 때문이다. Adam은 기울기의 크기와 상관없이 모든 가중치를 학습률 정도씩
# 움직이므로, 이미지 몇 장만 미는 가중치도 다른 가중치만큼 빨리 자란다. 이는 학습용 이미지에 지나치게
# 맞춘 증상으로, 가중치의 크기에 벌점을 주는 것([가중치 감쇠](../glossary/#weight-decay))으로 억제할 수 있다.
#
# ## 테스트, 단 한 번
#
# 두 모델의 학습과 선택에는 학습용 데이터와 검증용 데이터만 썼다. 어느 쪽을 최종 모델로 할까? 기준은
# 비교하기 전에 정해 둔다. 이 실습이 보고하는 지표가 정확도이므로, 검증 정확도가 더 높은 쪽이다. 다른
# 모든 것을 고른 검증 손실로 고르면 반대쪽이 뽑힌다. 검증 손실은 소프트맥스 회귀 쪽이 더 낮다(0.110 대
# 0.124). 이제 테스트용 데이터를 한 번 써서 최종 모델의 정확도를 보고한다.

# %%
chosen_runs = {"softmax regression": (softmax_curves, softmax_epochs),
               "DigitNet": (mlp_curves, mlp_epochs)}
validation_accuracy = {name: curves["validation accuracy"][epoch]
                       for name, (curves, epoch) in chosen_runs.items()}
validation_loss = {name: curves["validation loss"][epoch]
                   for name, (curves, epoch) in chosen_runs.items()}
final_name = max(validation_accuracy, key=validation_accuracy.get)
final_model = {"softmax regression": softmax_model,
               "DigitNet": mlp_model}[final_name]
test_images, test_labels = digit_splits["test"]
with torch.no_grad():
    test_predicted = final_model(test_images).argmax(dim=1)
test_accuracy = (test_predicted == test_labels).float().mean().item()
wrong = torch.nonzero(test_predicted != test_labels).squeeze(1)
for name, share in validation_accuracy.items():
    print(f"{name}: validation accuracy {100 * share:.1f} %, "
          f"validation loss {validation_loss[name]:.3f}")
print(f"final model: {final_name}")
print(f"test accuracy: {100 * test_accuracy:.1f} % "
      f"({len(wrong)} of {len(test_labels)} digits wrong)")

# %% [markdown]
# DigitNet은 검증용 이미지 한 장 차이로 이긴다(359장 가운데 1장은 0.28%이다). 이렇게 작은 차이는
# 잡음의 범위 안에 있으며, 소프트맥스 회귀를 골랐어도 그만큼 타당했을 것이다. 그러나 테스트 정확도를 본
# 뒤에는 선택을 다시 따지면 안 된다. 테스트 정확도가 더 높은 모델을 고르면 테스트용 데이터가 두 번째
# 검증용 데이터가 되어 버린다.
#
# 테스트 정확도 98.3%가 검증 정확도 96.7%보다 높다. 이는 어떤 이미지가 어느 분할에 들어갔느냐에 따른
# 우연이지, 모델이 새 숫자에서 더 잘한다는 뜻이 아니다. 또 세 분할 모두 같은 13명이 쓴 숫자를 담고
# 있으므로(이유는 `data/README.md`에 있다), 어느 분할도 모델이 처음 보는 사람의 글씨를 얼마나 잘 읽는지는
# 재지 못한다. 그런 글씨에서는 아마 더 못할 것이다.
#
# 모델은 어떤 숫자들을 헷갈릴까? 혼동 행렬(confusion matrix)은 정답 숫자(행)마다 모델이 각 숫자(열)를 몇 번
# 예측했는지 센다. 대각선에는 맞힌 예측이, 나머지 칸에는 각각 한 종류의 실수가 들어간다.

# %% alt="359개 테스트 숫자에 대한 DigitNet의 혼동 행렬. 세로축(행)은 정답 숫자, 가로축(열)은 예측한 숫자이다. 353개가 대각선에 있으며 숫자마다 34~36개이다. 실수 6개는 8로 예측한 넷(1 하나, 3 하나, 4 둘)과 9로 예측한 둘(1 하나, 5 하나)이다."
confusion = torch.zeros(10, 10, dtype=torch.int64)
for true, predicted in zip(test_labels, test_predicted):
    confusion[true, predicted] += 1
fig, ax = plt.subplots(figsize=(4.8, 4.4), layout="constrained")
ax.imshow(confusion.numpy(), cmap="Blues")
for true in range(10):
    for predicted in range(10):
        count = confusion[true, predicted].item()
        if count:
            ax.text(predicted, true, count, ha="center", va="center",
                    color="white" if count > 20 else "black")
ax.set(xlabel="predicted digit", ylabel="true digit", xticks=range(10),
       yticks=range(10), title="test confusion matrix")
plt.show()

# %% [markdown]
# 이제 실수 자체를 보자. 모델이 틀린 테스트 숫자를 모두, 정답과 모델의 예측을 달아 보인다.

# %% alt="잘못 분류한 테스트 숫자 6개를 8 × 8 회색조 이미지로 그린 것. 각각 위에 정답과 DigitNet의 예측이 있다. 정답 5를 9로, 정답 3을 8로, 정답 1을 9로, 정답 4를 8로(두 번), 정답 1을 8로 예측했다."
columns = 6
grid_rows = math.ceil(len(wrong) / columns)
fig, axes = plt.subplots(grid_rows, columns, figsize=(7.5, 1.5 * grid_rows),
                         layout="constrained", squeeze=False)
for ax in axes.flat:
    ax.axis("off")
for ax, row in zip(axes.flat, wrong):
    ax.imshow(test_images[row].reshape(8, 8).numpy(), cmap="gray_r",
              vmin=0, vmax=1)
    ax.set_title(f"true {test_labels[row].item()}, "
                 f"predicted {test_predicted[row].item()}", fontsize=9)
plt.show()

# %% [markdown]
# 이 가운데 몇 개는 8 × 8 픽셀에서는 사람도 읽기 어렵다. 여섯 실수는 모두 8이나 9로 예측한 것이다.
#
# ## 이진 분류기: 악성인가 양성인가
#
# 두 번째 데이터셋에는 유방 종괴 569개가 있다. 각 종괴는 이미 발견된 종괴에서 세침흡인(가는 바늘로 세포를
# 빨아내는 검사)으로 얻은 세포 이미지에서 세포핵을 잰 값 30개와 `malignant` 열로 설명된다. `malignant`는
# 악성이면 1, 양성이면 0이다(이진 분류에서 타겟이 1인 클래스는 여기서는 악성이다).
# (scikit-learn에 들어 있는 사본은 반대로 악성을 0으로 나타낸다. 자세한 내용은 `data/README.md`에
# 있다.) 분할은 앞에서처럼 층화 분할이다. 잰 값들의 스케일이 크게 다르므로(넓이는 수백에서 수천,
# 매끄러움은 0.1 안팎), 각 측정값을 *학습용* 데이터만으로 구한 평균과 표준편차로 표준화한다. 검증용과 테스트용
# 종괴의 정보가 모델이 쓰는 어떤 것에도 새어 들어가면 안 된다.

# %%
cancer = pd.read_csv(BREAST_CANCER)
measurements = torch.tensor(cancer.drop(columns="malignant").to_numpy(),
                            dtype=torch.float32)
malignant = torch.tensor(cancer["malignant"].to_numpy(),
                         dtype=torch.float32).unsqueeze(1)
cancer_rows = stratified_split(malignant.squeeze(1))
train_measurements = measurements[cancer_rows["train"]]
mean = train_measurements.mean(dim=0)
spread = train_measurements.std(dim=0)
cancer_splits = {name: ((measurements[rows] - mean) / spread,
                        malignant[rows])
                 for name, rows in cancer_rows.items()}
for name, (x, y) in cancer_splits.items():
    print(f"{name:10}: {len(y)} masses, {int(y.sum())} malignant "
          f"({100 * y.mean():.1f} %)")

# %% [markdown]
# 선형 층 하나가 종괴마다 로짓 하나를 낸다. `nn.BCEWithLogitsLoss`는 시그모이드를 수치적으로 안정된
# 방식으로 직접 적용하고 이진 교차 엔트로피를 구한다. 악성일 확률은 `torch.sigmoid(logit)`이다.
# 학습률과 에포크 수는 숫자 데이터에서와 같은 함수로 검증용 데이터에서 고른다.

# %%
bce = nn.BCEWithLogitsLoss()
cancer_lr, cancer_model, cancer_epochs, cancer_curves = choose(
    lambda: nn.Linear(30, 1), bce, cancer_splits)
print(f"chosen: LR {cancer_lr}, {cancer_epochs} epochs")

# %% [markdown]
# ## 정밀도, 재현율, 그리고 임계값
#
# 모델은 확률을 내고, 결정을 하려면 임계값이 필요하다. 확률이 *t* 이상이면 악성이라고 판정한다. 판정이
# 얼마나 좋은지는 두 지표로 잰다.
#
# - **재현율**(recall): 악성 종괴 가운데 악성으로 판정한 비율(놓친 암이 있으면 내려간다)
# - **정밀도**(precision): 악성으로 판정한 종괴 가운데 실제로 악성인 비율(오경보가 있으면 내려간다)
#
# 임계값을 낮추면 더 많은 종괴를 악성으로 판정한다. 재현율은 떨어지는 일이 없고(오르거나 그대로이다),
# 정밀도는 대개 내려간다. 어느 쪽에 무게를 둘지는 각 실수의 대가에 달려 있다. 세침흡인은 이미 발견된
# 종괴를 진단하는 검사이고, 여기서 악성으로 판정된 종괴는 수술적 조직검사로 다시 확인한다. 그래서 오경보의
# 대가는 그 조직검사와 얼마간의 걱정이지만, 놓친 암의 대가는 목숨일 수 있다. 그래서 이런 검사는 높은
# 재현율을 택하고, 그 대가를 정밀도로 치른다. 여기서 쓰는 규칙은, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05 가운데
# 검증용 데이터에서 재현율이 0.95 이상이 되는 가장 높은 임계값을 고르는 것이다. 임계값도 다른 모든
# 설정처럼 검증용 데이터에서 고르고, 테스트는 그다음이다.

# %%
def precision_recall(probabilities, targets, threshold):
    """임계값 이상인 확률을 모두 1(악성)로 판정할 때의 정밀도와
    재현율."""
    called = probabilities >= threshold
    found = (called & (targets == 1)).sum().item()
    precision = found / max(called.sum().item(), 1)
    recall = found / (targets == 1).sum().item()
    return precision, recall


def report(probabilities, targets, t):
    """임계값 t에서의 정밀도, 재현율, 그리고 그 개수를 한 줄로."""
    precision, recall = precision_recall(probabilities, targets, t)
    called = probabilities >= t
    found = (called & (targets == 1)).sum().item()
    alarms = (called & (targets == 0)).sum().item()
    return (f"threshold {t:<5.3g}: precision {precision:.3f}, recall "
            f"{recall:.3f} (found {found} of {int(targets.sum())}, "
            f"false alarms {alarms})")


def probabilities_of(split):
    x, y = cancer_splits[split]
    with torch.no_grad():
        return torch.sigmoid(cancer_model(x)), y


validation_probabilities, validation_targets = probabilities_of(
    "validation")
THRESHOLDS = [0.5, 0.4, 0.3, 0.2, 0.1, 0.05]
for t in THRESHOLDS:
    print(report(validation_probabilities, validation_targets, t))
lowest = validation_probabilities[validation_targets == 1].min().item()
print(f"lowest probability of a malignant mass: {lowest:.3f}; at that "
      "threshold:")
print(report(validation_probabilities, validation_targets, lowest))
threshold = next(t for t in THRESHOLDS if precision_recall(
    validation_probabilities, validation_targets, t)[1] >= 0.95)
print(f"chosen threshold: {threshold}")

# %% [markdown]
# 임계값 0.5에서 모델은 검증용 데이터에서 오경보를 하나도 내지 않지만(정밀도 1.000), 악성 종괴
# 42개 가운데 3개를 놓친다(재현율 0.929). 임계값을 0.4로 낮추면 하나를 더 찾고 오경보 3개를 낸다.
# 0.1에서는 42개 가운데 41개를 찾지만 오경보가 10개이다. 마지막 하나는 확률이 0.05보다 낮다. 목록의
# 어떤 임계값도 그것을 찾지 못하며, 그것을 찾을 만큼 낮은 임계값은 양성 종괴 71개 가운데 26개도
# 악성으로 판정할 것이다. 규칙은 0.4를 고른다.
#
# 이제 테스트용 데이터를 한 번 쓴다. 고른 임계값에서 재고, 흔히 쓰는 임계값 0.5는 비교를 위해서만 옆에
# 보인다. 0.5의 결과로 임계값을 고르면 안 된다. 그러면 테스트용 데이터가 두 번째 검증용 데이터가 된다.

# %%
test_probabilities, test_targets = probabilities_of("test")
for t, role in [(0.5, "for comparison only"), (threshold, "chosen")]:
    print(f"test, {report(test_probabilities, test_targets, t)}, {role}")

# %% [markdown]
# 테스트용 데이터에서는 0.5로도 악성 종괴 42개를 모두 찾고 오경보는 2개이다. 0.4는 더 찾는 것 없이
# 오경보를 6개 낸다. 이것이 트레이드오프(trade-off)이다. 임계값을 낮춘다고 악성 종괴를 덜 찾게 되지는
# 않지만, 막아야 할 놓침이 있든 없든 오경보라는 값은 치른다. 검증용 데이터에서는 놓칠 종괴 하나를 더
# 찾았고, 테스트용 데이터에서는 애초에 놓친 종괴가 없었다. 각 분할에 악성 종괴가 42개뿐이므로, 한
# 분할에서 잰 재현율은 거친 추정치이다. 한 표본에서 0.95에 이르는 임계값이 다른 표본에서 정확한 재현율을
# 보장하지는 않는다.
#
# 주의할 점이 하나 더 있다. 이 종괴들의 37%가 악성인데, 이는 이 병원에서 세침흡인을 한 종괴 가운데 악성의
# 비율이다. 정밀도는 이 비율에 달려 있어서 악성 종괴가 더 드문 곳에서는 더 낮아지지만, 재현율은 달라지지
# 않는다.
#
# ## 연습문제
#
# 연습문제마다 함수를 하나 작성한다. 함수를 작성하기 전에는 그 셀이 `NotImplementedError`를 낸다. 그
# 뒤에 풀이(자신의 출력과 비교해 볼 수 있는 코드와, 그 결과가 무엇을 보여 주는지에 대한 설명)와 답 확인이
# 온다. 실습 페이지에서는 둘 다 접혀 있고, 노트북에는 답 확인과 풀이로 가는 링크가 있다. 답 확인은 실습의
# 데이터가 아닌 다른 데이터로 작성한 함수를 호출해 보고, 답이 맞으면 맞았다고, 틀리면 무엇이 틀렸는지
# 알려 준다. 먼저 답을 작성한 다음 답 확인을 실행하자.
#
# ### 연습문제 1: 안전한 소프트맥스
#
# `nn.CrossEntropyLoss`는 로짓을 받아 소프트맥스를 직접 계산한다. 샘플마다 한 행인 로짓 배치를 확률로
# 바꾸는 `softmax`를 `torch.softmax` 없이 작성하라. 로짓은 클 수 있다. 로짓 1000에 그냥 `exp`를 취하면
# 오버플로(overflow)가 일어난다. 그런 다음 처음 다섯 테스트 숫자마다 가장 큰 확률, 그 숫자, 정답 숫자를
# 출력하고, 모든 로짓에 1000을 더했을 때 확률이 가장 많이 바뀐 양을 출력하라.

# %%
def softmax(logits):
    """모양이 (N, C)인 로짓으로부터 구한 확률. 각 행의 exp 값을 그 합으로
    나눈 것이며, 로짓이 아무리 커도 오버플로가 일어나지 않게 계산한다.
    모양은 (N, C)이고 각 행의 합은 1이다."""
    raise NotImplementedError("연습문제 1: 여기에 코드를 작성하라")


# %% tags=["solution"]
def softmax(logits):
    shifted = logits - logits.max(dim=1, keepdim=True).values
    exponentials = shifted.exp()
    return exponentials / exponentials.sum(dim=1, keepdim=True)


with torch.no_grad():
    first_logits = final_model(test_images[:5])
first_probabilities = softmax(first_logits)
largest = first_probabilities.max(dim=1).values
print("largest probability:", ", ".join(f"{p:.3f}" for p in largest))
print("its digit:          ", first_probabilities.argmax(dim=1).tolist())
print("true digit:         ", test_labels[:5].tolist())
difference = (softmax(first_logits + 1000) - first_probabilities).abs()
print(f"with logits + 1000, largest change: {difference.max():.1e}")

# %% [markdown] tags=["solution"]
# **풀이가 보여 주는 것.** 각 행에서 가장 큰 로짓 m을 빼도 확률은 하나도 바뀌지 않는다(모든 exp 값에 exp(-m)이
# 곱해지는데, 이것이 분자와 분모의 합에서 약분된다). 하지만 가장 큰 exp 값이 정확히 1이 되고 나머지는 모두 1보다
# 작아지므로 오버플로가 일어나지 않는다. 1000 근처의 로짓 행은 0 근처의 같은 행과, 반올림 오차 안에서 같은
# 확률을 준다. float32에서 여기서 가장 크게 바뀐 양은 1e-6보다 작다. 모델은 이 다섯 숫자 가운데 네 개에 0.99가
# 넘는 확률을, 두 번째 숫자에 0.900을 주며, 다섯 개 모두 맞힌다.

# %% [markdown] tags=["check"]
# 함수를 작성한 다음에 실행한다(노트북에서는 바로 다음 셀). 맞는 답이면 어떤 답이든 통과하고, 틀리면
# 무엇이 틀렸는지 알려 준다.

# %% tags=["check"]
# 무작위 로짓, 큰 로짓, 행 하나짜리 로짓을 torch의 softmax와 비교한다.
generator = torch.Generator().manual_seed(1)
for what, logits in [
        ("random logits", torch.randn(6, 4, generator=generator)),
        ("logits near 1000", 1000 + torch.randn(3, 5, generator=generator)),
        ("one example", torch.randn(1, 3, generator=generator))]:
    yours = softmax(logits.clone())
    assert tuple(yours.shape) == tuple(logits.shape), (
        f"{what}(모양 {tuple(logits.shape)})에 대해 돌려준 모양이 "
        f"{tuple(yours.shape)}이다. 로짓마다 확률이 하나여야 한다")
    assert not yours.isnan().any(), (
        f"{what}에 대한 확률에 NaN이 있다. exp에서 오버플로가 일어났다"
        "(먼저 각 행에서 가장 큰 로짓을 빼라)")
    sums = yours.sum(dim=1)
    assert torch.allclose(sums, torch.ones_like(sums), atol=1e-5), (
        f"{what}에 대해 행의 합이 1이 아니라 {sums.tolist()}이다. "
        "각 행(dim=1)을 그 행의 합으로 나눠라")
    assert torch.allclose(yours, torch.softmax(logits, dim=1), atol=1e-6), (
        f"{what}에 대한 확률이 소프트맥스와 다르다")
print("Exercise 1: correct.")

# %% [markdown]
# ### 연습문제 2: 요구하는 재현율을 위한 임계값
#
# 이 실습은 임계값 여섯 개를 시도했다. 가장 좋은 임계값을 정확히 찾는 `threshold_for_recall`을 작성하라.
# 가장 좋은 임계값이란 확률이 *t* 이상인 샘플을 모두 1로 판정할 때, 타겟이 1인 샘플 가운데 적어도
# `recall`만큼을 찾아내는 가장 높은 *t*이다. 그런 다음 이 함수로 검증용 데이터에서 재현율 0.95 이상을 주는
# 임계값을 구하고, 그 임계값이 테스트용 데이터에서 내는 결과를 한 번만 보고하라.

# %%
def threshold_for_recall(probabilities, targets, recall):
    """probabilities >= t인 샘플을 1로 판정할 때 타겟이 1인 샘플 가운데
    적어도 `recall`만큼의 비율을 찾는 가장 높은 임계값 t. 타겟이 1인
    샘플의 확률 가운데 하나이며, float로 돌려준다."""
    raise NotImplementedError("연습문제 2: 여기에 코드를 작성하라")


# %% tags=["solution"]
def threshold_for_recall(probabilities, targets, recall):
    positives = probabilities[targets == 1].sort(descending=True).values
    needed = int(np.ceil(recall * len(positives) - 1e-9))
    return positives[max(needed, 1) - 1].item()


t95 = threshold_for_recall(validation_probabilities, validation_targets,
                           0.95)
print(f"threshold for validation recall 0.95: {t95:.3f}")
print("validation,", report(validation_probabilities, validation_targets,
                            t95))
print("validation,", report(validation_probabilities, validation_targets,
                            threshold))
print("test, once,", report(test_probabilities, test_targets,
                            t95))

# %% [markdown] tags=["solution"]
# **풀이가 보여 주는 것.** 타겟이 1인 샘플의 확률을 높은 것부터 정렬하면, 임계값은 그중 *k*번째까지
# 내려가야 한다. *k*는 요구한 비율을 채우는 데 필요한 타겟이 1인 샘플의 최소 개수이다. 그보다 높은
# 임계값은 더 적게 찾는다. 검증용 데이터에서 그 임계값은 요구한 재현율과 같거나 조금 높은 재현율을 준다.
# 선택에 관여하지 않은 테스트용 데이터에서는 재현율이 더 낮게도 높게도 나올 수 있다. 한 표본에서 고른
# 임계값이 다른 표본에서 무엇도 정확히 보장하지는 않는다. 여기서 정확한 임계값 0.436은 실습의 0.4보다
# 높으며, 검증 재현율은 0.952로 같고 오경보는 더 적다. 검증 정밀도가 0.930이 아니라 0.976이다. 이 비교는
# 검증용 데이터에서만 한다. 그다음 테스트용 데이터는 고른 임계값의 결과를 한 번 보고한다. 악성 종괴 42개를
# 모두 찾으며 정밀도는 0.913이다.

# %% [markdown] tags=["check"]
# 함수를 작성한 다음에 실행한다(노트북에서는 바로 다음 셀). 맞는 답이면 어떤 답이든 통과하고, 틀리면
# 무엇이 틀렸는지 알려 준다.

# %% tags=["check"]
# 무작위 확률과 타겟으로, 모든 후보를 찾아보는 방법과 비교한다. 정답은
# 재현율에 이르는, 타겟이 1인 샘플의 확률 가운데 가장 높은 것이다.
generator = torch.Generator().manual_seed(2)
for size, wanted in [(40, 0.95), (25, 0.5), (60, 1.0), (33, 0.8)]:
    p = torch.rand(size, 1, generator=generator)
    targets = (torch.rand(size, 1, generator=generator) < 0.4).float()
    targets[0] = 1
    yours = float(threshold_for_recall(p, targets, wanted))
    reached = precision_recall(p, targets, yours)[1]
    assert reached >= wanted - 1e-9, (
        f"임계값 {yours:.4f}에서 재현율이 {reached:.3f}로, "
        f"요구한 {wanted}보다 낮다. 임계값이 너무 높다")
    highest = max(
        t.item() for t in p[targets == 1]
        if precision_recall(p, targets, t.item())[1] >= wanted - 1e-9)
    assert yours >= highest - 1e-6, (
        f"임계값 {yours:.4f}에서 재현율 {wanted}에 이르지만, 더 높은 "
        f"임계값 {highest:.4f}에서도 이른다. 가장 높은 것을 골라라")
print("Exercise 2: correct.")
